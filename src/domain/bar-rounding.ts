/**
 * Rounding of computed bar sums: amounts are differences and sums of cumulative yuan and pick up float noise
 * (6159972661.970001); they are rounded to cents once, when a bar is emitted. Prices are never computed (only
 * selected from inputs), so they carry no noise and are not rounded.
 */

/** Yuan to the cent: `Math.round(x * 100) / 100` yields the double nearest to k/100, which prints as k/100. */
export const roundAmount = (yuan: number): number => Math.round(yuan * 100) / 100

/** Shares to 1/100: removes lots x 100 noise (0.3 * 100 = 30.000000000000004) and keeps integers exact. */
export const roundShares = (shares: number): number => Math.round(shares * 100) / 100
