import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type {
  DataZoomComponentOption, GridComponentOption, LegendComponentOption, MarkAreaComponentOption, TitleComponentOption,
  TooltipComponentOption
} from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import { lazy, Suspense } from 'react'

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
  | TitleComponentOption | DataZoomComponentOption | MarkAreaComponentOption
>

export interface EChartProps { option: ChartOption, testId: string, className?: string }

/** Text and axis colours for the dark command-centre theme, sized from the page's root font. */
export function chartTheme (): { text: string, axis: string, split: string, fontSize: number } {
  const root = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16
  return { text: '#d7e3f4', axis: '#5b6b85', split: '#243049', fontSize: Math.round(root * 0.85) }
}

// ECharts is most of the console's weight: loaded with the first chart, not with the queue.
const Canvas = lazy(async () => await import('./echart-canvas.tsx'))

/**
 * A chart (ECharts, loaded on first use); the placeholder keeps the chart's box while it loads and
 * has its own test id (`<testId>-loading`), so nothing waiting for the chart mistakes it for one.
 */
export function EChart (props: EChartProps) {
  return <Suspense fallback={<div className={props.className ?? 'chart'} data-testid={`${props.testId}-loading`} />}>
    <Canvas {...props} />
  </Suspense>
}
