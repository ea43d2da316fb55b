import type { AlertCategory } from '@gangwan/contracts'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { metrics } from '../api/endpoints.ts'
import type { GroupBy, MetricsReport, Period } from '../api/types.ts'
import { EChart, chartTheme, type ChartOption } from '../components/echart.tsx'
import { useErrorText } from '../components/action-bar.tsx'
import { formatSeconds } from '../domain/countdown.ts'
import { MEAN_TIME_KEYS, RATE_KEYS, lastDays, minutes, percent } from '../domain/metrics-view.ts'
import { CATEGORIES } from '../domain/queue-order.ts'
import { useApp } from '../state/app-context.tsx'

const RANGES = [7, 30, 90] as const
const GROUPS = ['category', 'grid', 'department', 'period'] as const
type Group = (typeof GROUPS)[number]
const RATE_COLORS = ['#4cc9f0', '#2ecc71', '#ffd23f', '#b388ff', '#ff6b6b', '#ff9f1a']
type Reports = Partial<Record<Group | 'none', MetricsReport>>

/**
 * The dispatch metrics (`GET /metrics/incidents`): 受理率, 响应率, 按期结案率, 结案率, 返工率,
 * 满意率 and the mean times, by category, grid, department and period, as ECharts charts.
 */
export function StatsPage () {
  const { t, i18n } = useTranslation()
  const { lookups } = useApp()
  const errorText = useErrorText()
  const [days, setDays] = useState<(typeof RANGES)[number]>(30)
  const [period, setPeriod] = useState<Period>('day')
  const [reports, setReports] = useState<Reports>({})
  const [error, setError] = useState<string>()

  useEffect(() => {
    const ac = new AbortController()
    const range = lastDays(days, Date.now())
    setError(undefined)
    const all: Array<Group | 'none'> = ['none', ...GROUPS]
    Promise.all(all.map(async (g) => [g, await metrics({ groupBy: g as GroupBy, ...range, ...(g === 'period' ? { period } : {}) }, ac.signal)] as const))
      .then((pairs) => { setReports(Object.fromEntries(pairs)) }, (err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorText(err))
      })
    return () => { ac.abort() }
  }, [days, period, errorText])

  const label = useMemo(() => ({
    category: (k: string) => ((CATEGORIES as readonly string[]).includes(k) ? t(`category.${k as AlertCategory}`) : k),
    grid: lookups.gridName,
    department: lookups.departmentName,
    period: (k: string) => k
  }), [t, lookups])

  // Rebuilt on a language switch: labels and series names are words of the current language.
  const options = useMemo(() => {
    const th = chartTheme()
    const axisText = { color: th.text, fontSize: th.fontSize }
    const base = (names: string[], rotate: boolean): ChartOption => ({
      textStyle: { color: th.text, fontSize: th.fontSize },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll', textStyle: axisText },
      grid: { left: '3%', right: '4%', top: '16%', bottom: '4%', containLabel: true },
      xAxis: {
        type: 'category', data: names, axisLine: { lineStyle: { color: th.axis } },
        // Long names (grids, departments) are cut to 8 characters; the tooltip has them whole.
        axisLabel: { ...axisText, rotate: rotate ? 30 : 0, interval: 0, formatter: (v: string) => (v.length > 8 ? `${v.slice(0, 8)}…` : v) }
      },
      yAxis: [
        { type: 'value', name: t('stats.rate'), min: 0, max: 100, nameTextStyle: axisText, axisLabel: axisText, splitLine: { lineStyle: { color: th.split } } },
        { type: 'value', name: t('stats.incidents'), nameTextStyle: axisText, axisLabel: axisText, splitLine: { show: false } }
      ]
    })
    const byGroup = (g: Group): ChartOption | undefined => {
      const r = reports[g]
      if (r === undefined) return undefined
      const names = r.groups.map((x) => label[g](x.key))
      const line = g === 'period'
      return {
        ...base(names, !line && names.length > 6),
        series: [
          { type: 'bar', name: t('stats.incidents'), yAxisIndex: 1, data: r.groups.map((x) => x.incidents), itemStyle: { color: 'rgba(120,140,170,0.35)' }, barGap: '0%' },
          ...RATE_KEYS.map((k, i) => line
            ? { type: 'line' as const, name: t(`stats.${k}`), data: r.groups.map((x) => percent(x[k])), itemStyle: { color: RATE_COLORS[i] }, connectNulls: false }
            : { type: 'bar' as const, name: t(`stats.${k}`), data: r.groups.map((x) => percent(x[k])), itemStyle: { color: RATE_COLORS[i] } })
        ]
      }
    }
    const cat = reports.category
    const times: ChartOption | undefined = cat === undefined ? undefined : {
      textStyle: { color: th.text, fontSize: th.fontSize },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: axisText },
      grid: { left: '3%', right: '4%', top: '16%', bottom: '4%', containLabel: true },
      xAxis: { type: 'category', data: cat.groups.map((x) => label.category(x.key)), axisLabel: axisText },
      yAxis: { type: 'value', name: t('stats.minutes'), nameTextStyle: axisText, axisLabel: axisText, splitLine: { lineStyle: { color: th.split } } },
      series: MEAN_TIME_KEYS.map((k, i) => ({ type: 'bar' as const, name: t(`stats.${k}`), data: cat.groups.map((x) => minutes(x[k])), itemStyle: { color: RATE_COLORS[i] } }))
    }
    return { category: byGroup('category'), grid: byGroup('grid'), department: byGroup('department'), period: byGroup('period'), times }
  }, [reports, label, t, i18n.language])

  const total = reports.none?.total
  const units = { s: t('unit.s'), min: t('unit.min'), h: t('unit.h'), d: t('unit.d') }
  const title: Record<Group, string> = { category: t('stats.byCategory'), grid: t('stats.byGrid'), department: t('stats.byDepartment'), period: t('stats.byPeriod') }
  return <div className="page stats-page" data-testid="page-stats">
    <div className="filters">
      <span className="filter-label">{t('stats.range')}</span>
      {RANGES.map((d) => <button key={d} type="button" className={`chip${days === d ? ' on' : ''}`} aria-pressed={days === d}
        data-testid={`stats-range-${d}`} onClick={() => { setDays(d) }}>{t(`stats.last${d}`)}</button>)}
      <span className="filter-label">{t('stats.period')}</span>
      {(['day', 'week', 'month'] as const).map((p) => <button key={p} type="button" className={`chip${period === p ? ' on' : ''}`}
        aria-pressed={period === p} data-testid={`stats-period-${p}`} onClick={() => { setPeriod(p) }}>{t(`stats.${p}`)}</button>)}
    </div>
    {error !== undefined && <div className="error-text" data-testid="stats-error">{error}</div>}
    {total !== undefined && <div className="kpis" data-testid="stats-kpis">
      <div className="kpi" data-testid="stats-kpi-incidents"><span className="kpi-value">{total.incidents}</span><span className="kpi-label">{t('stats.incidents')}</span></div>
      {RATE_KEYS.map((k) => <div key={k} className="kpi" data-testid={`stats-kpi-${k}`}>
        <span className="kpi-value">{percent(total[k]) ?? '—'}{percent(total[k]) !== null ? ' %' : ''}</span><span className="kpi-label">{t(`stats.${k}`)}</span>
      </div>)}
      {MEAN_TIME_KEYS.map((k) => <div key={k} className="kpi" data-testid={`stats-kpi-${k}`}>
        <span className="kpi-value">{formatSeconds(total[k], units)}</span><span className="kpi-label">{t(`stats.${k}`)}</span>
      </div>)}
    </div>}
    <div className="chart-grid">
      {GROUPS.map((g) => <section key={g} className="panel">
        <h3>{title[g]}</h3>
        {options[g] !== undefined ? <EChart option={options[g]} testId={`stats-chart-${g}`} /> : <div className="muted chart">{t('app.loading')}</div>}
      </section>)}
      <section className="panel">
        <h3>{t('stats.meanTimes')}</h3>
        {options.times !== undefined ? <EChart option={options.times} testId="stats-chart-times" /> : <div className="muted chart">{t('app.loading')}</div>}
      </section>
    </div>
  </div>
}
