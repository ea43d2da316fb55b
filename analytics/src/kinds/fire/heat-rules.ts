import type { FireRule } from './fire-rule.ts'
import { NOT_HOLDING, round } from './fire-rule.ts'

/** Heat rules apply to detectors with a heat element; a smoke detector's chamber thermistor only compensates drift. */
function hasHeatElement (detector: string): boolean {
  return detector === 'heat' || detector === 'multi'
}

/**
 * Fixed-temperature alarm at the lower end of the static response range of the detector's class
 * (GB 4716 / EN 54-5: A1 54–65 °C, A2 54–70, B 69–85, C 84–100), class from the inventory or
 * `defaultHeatClass`. Clears `heatClearMarginC` under the alarm temperature.
 */
export const FIXED_TEMPERATURE_RULE: FireRule = {
  info: {
    id: 'fire.heat_fixed',
    version: '1',
    category: 'fire',
    severity: 'P2',
    clause: 'GB 4716 / EN 54-5 static response temperature by class (A1/A2 54 °C, B 69 °C, C 84 °C)',
    title: 'Heat detector over its alarm temperature',
    description: 'A heat or multi-sensor detector at or over `fixedTemperatureC[class]`; clears `heatClearMarginC` °C below. A pre-alarm until a second trigger in the zone confirms the fire.'
  },
  appliesTo: (device) => hasHeatElement(device.detector),
  judge ({ msg, ctx, settings, active }) {
    if (msg.temperatureC === undefined || !hasHeatElement(ctx.device.detector)) return undefined
    const heatClass = ctx.device.heatClass ?? settings.defaultHeatClass
    const level = settings.fixedTemperatureC[heatClass]
    const holds = active ? msg.temperatureC > level - settings.heatClearMarginC : msg.temperatureC >= level
    if (!holds) return NOT_HOLDING
    return { active: true, fromMs: msg.ts, values: { temperatureC: msg.temperatureC, levelC: level, heatClass } }
  }
}

/**
 * Rate-of-rise alarm (class R detectors of GB 4716 / EN 54-5, tested at 1–30 °C/min): the slope
 * over the recent samples (see rate-of-rise.ts) at or over `rateOfRiseCPerMin`. Clears once the
 * slope is under `clearRatio` × the level.
 */
export const RATE_OF_RISE_RULE: FireRule = {
  info: {
    id: 'fire.heat_rate_of_rise',
    version: '1',
    category: 'fire',
    severity: 'P2',
    clause: 'GB 4716 / EN 54-5 class R rate-of-rise response (rate per site; UL 521 uses 8.3 °C/min)',
    title: 'Temperature rising fast',
    description: 'A heat or multi-sensor detector whose temperature rises at `rateOfRiseCPerMin` °C/min or more, measured against a sample 30 s–3 min old (`rateOfRiseMinSpanMs`, `rateOfRiseWindowMs`); clears under `clearRatio` × the rate. A pre-alarm until a second trigger in the zone confirms the fire.'
  },
  appliesTo: (device) => hasHeatElement(device.detector),
  usesRise: true,
  judge ({ msg, ctx, settings, rise, active }) {
    if (msg.temperatureC === undefined || !hasHeatElement(ctx.device.detector) || rise === undefined) return undefined
    const level = settings.rateOfRiseCPerMin
    const holds = active ? rise.cPerMin >= settings.clearRatio * level : rise.cPerMin >= level
    if (!holds) return NOT_HOLDING
    return {
      active: true,
      fromMs: rise.fromMs,
      values: { rateCPerMin: round(rise.cPerMin, 2), fromC: rise.fromC, temperatureC: rise.toC, levelCPerMin: level }
    }
  }
}
