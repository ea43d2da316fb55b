/** The community every model is trained on: the size of the Huaguoyuan demo, so there are enough restaurants and noise meters to split. */
export const TRAIN_COMMUNITY = Object.freeze({ seed: 11, buildings: 20, devices: 2000 })
/** Start of the simulated training data: a Monday, local midnight in Guiyang (UTC+8). */
export const TRAIN_START_MS = Date.parse('2025-06-02T00:00:00+08:00')
/** The seed `npm run train` uses unless told otherwise. */
export const TRAIN_SEED = 1
