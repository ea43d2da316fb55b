import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { telemetry } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { TelemetrySeries } from '../api/types.ts'
import { EChart, chartTheme, type ChartOption } from './echart.tsx'

const PALETTE = ['#4cc9f0', '#f72585', '#ffd23f', '#2ecc71', '#ff9f1a', '#b388ff', '#90e0ef']

/**
 * The readings of the incident's devices from InfluxDB (`GET /telemetry`) around the alert window,
 * one device at a time, with the window that triggered the alert shaded.
 */
export function TelemetryChart ({ devices, from, to, alertWindow }: {
  devices: readonly string[]
  from: number
  to: number
  alertWindow: { fromMs: number, toMs: number } | undefined
}) {
  const { t, i18n } = useTranslation()
  const [device, setDevice] = useState(devices[0])
  const [series, setSeries] = useState<TelemetrySeries[]>()
  const [error, setError] = useState<string>()

  useEffect(() => { if (device === undefined || !devices.includes(device)) setDevice(devices[0]) }, [devices, device])
  useEffect(() => { setSeries(undefined) }, [device])
  useEffect(() => {
    if (device === undefined) return
    const ac = new AbortController()
    setError(undefined)
    telemetry(device, from, to, ac.signal).then(setSeries, (err: unknown) => {
      if ((err as Error).name === 'AbortError') return
      // 404: the device is not in the inventory (or the route not there yet); 501: the hub has no telemetry history.
      setError(err instanceof ApiError && (err.status === 404 || err.status === 501) ? `${t('app.notAvailable')} (${err.message})` : t('app.loadFailed', { message: (err as Error).message }))
    })
    return () => { ac.abort() }
  }, [device, from, to, t])

  // Rebuilt on a language switch too, which is when the page's font (and so the chart's) may change.
  const option = useMemo<ChartOption | undefined>(() => {
    if (series === undefined || series.length === 0) return undefined
    const th = chartTheme()
    return {
      color: PALETTE,
      textStyle: { color: th.text, fontSize: th.fontSize },
      tooltip: { trigger: 'axis' },
      legend: { textStyle: { color: th.text, fontSize: th.fontSize }, top: 0, type: 'scroll' },
      grid: { left: '4%', right: '3%', top: '14%', bottom: '18%', containLabel: true },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8, textStyle: { color: th.text } }],
      xAxis: { type: 'time', min: from, max: to, axisLabel: { color: th.text, fontSize: th.fontSize }, axisLine: { lineStyle: { color: th.axis } } },
      yAxis: { type: 'value', scale: true, axisLabel: { color: th.text, fontSize: th.fontSize }, splitLine: { lineStyle: { color: th.split } } },
      series: series.map((s, i) => ({
        type: 'line' as const,
        name: s.field,
        showSymbol: s.points.length < 60,
        step: s.points.every(([, v]) => v === 0 || v === 1) ? ('end' as const) : false,
        data: s.points,
        ...(i === 0 && alertWindow !== undefined
          ? { markArea: { itemStyle: { color: 'rgba(255, 59, 59, 0.18)' }, data: [[{ xAxis: alertWindow.fromMs }, { xAxis: Math.max(alertWindow.toMs, alertWindow.fromMs + 1000) }]] } }
          : {})
      }))
    }
  }, [series, from, to, alertWindow, i18n.language])

  if (devices.length === 0) return null
  return <section className="panel" data-testid="telemetry-panel">
    <h3>{t('incident.telemetry')}</h3>
    {devices.length > 1 && <div className="tabs" role="tablist">
      {devices.map((d) => <button key={d} type="button" role="tab" aria-selected={d === device} className={`tab${d === device ? ' on' : ''}`}
        data-testid={`telemetry-device-${d}`} onClick={() => { setDevice(d) }}>{d}</button>)}
    </div>}
    {error !== undefined
      ? <div className="muted" data-testid="telemetry-error">{error}</div>
      : series === undefined
        ? <div className="muted">{t('app.loading')}</div>
        : option === undefined
          ? <div className="muted" data-testid="telemetry-empty">{t('incident.telemetryEmpty')}</div>
          : <EChart option={option} testId="telemetry-chart" className="chart chart-telemetry" />}
  </section>
}
