// Entry point of the hub's analytics worker thread (started by createAnalyticsThread in app.ts):
// the only file of that thread that reads workerData and holds the parent port, as main.ts is for
// the process.
import { parentPort, workerData } from 'node:worker_threads'
import { serveAnalytics, type AnalyticsWorkerInit } from '@gangwan/analytics'
import { openHubAnalytics, type HubAnalyticsHost } from './analytics-host.ts'

serveAnalytics(parentPort!, workerData as AnalyticsWorkerInit<HubAnalyticsHost>, openHubAnalytics)
