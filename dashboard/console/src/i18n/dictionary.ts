import type { zhCN } from './zh-cn.ts'

/** Every language has exactly zh-CN's keys (two levels: section, then string). */
export type Dictionary = { [S in keyof typeof zhCN]: { [K in keyof (typeof zhCN)[S]]: string } }
