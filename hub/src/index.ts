export { createHub, type Hub, type HubInfo } from './app.ts'
export { loadHubConfig, HubEnvSchema, type HubConfig } from './config.ts'
export { loadCommunityFile } from './community-file.ts'
export { provisionCommunity, communityClients } from './provisioning.ts'
