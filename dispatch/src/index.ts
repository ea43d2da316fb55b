export type { AlertChange, AlertChangeType, AlertListQuery, AlertQueue, AlertQueueStats } from './queue/alert-queue.ts'
export { changeType } from './queue/change-type.ts'
export { createAlertQueue, type AlertQueueOptions } from './queue/create-alert-queue.ts'
export { validateAlerts } from './queue/validate-alerts.ts'
