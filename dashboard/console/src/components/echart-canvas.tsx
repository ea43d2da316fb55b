import { BarChart, LineChart } from 'echarts/charts'
import {
  DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent
} from 'echarts/components'
import { init, use, type ECharts } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'
import type { EChartProps } from './echart.tsx'

// Only what the console draws (bars and lines on a grid), so the bundle carries a fraction of ECharts.
use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, DataZoomComponent,
  MarkAreaComponent, MarkLineComponent, CanvasRenderer])

/**
 * One ECharts instance on a div, resized with its box (a wall screen and a desk monitor differ),
 * updated in place when `option` changes, disposed on unmount.
 */
export default function EChartCanvas ({ option, testId, className = 'chart' }: EChartProps) {
  const el = useRef<HTMLDivElement>(null)
  const chart = useRef<ECharts | undefined>(undefined)

  useEffect(() => {
    const div = el.current
    if (div === null) return
    const c = init(div, undefined, { renderer: 'canvas' })
    chart.current = c
    const ro = new ResizeObserver(() => { c.resize() })
    ro.observe(div)
    return () => { ro.disconnect(); c.dispose(); chart.current = undefined }
  }, [])

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true })
  }, [option])

  return <div ref={el} className={className} data-testid={testId} data-chart-ready="true" />
}
