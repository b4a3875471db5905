/**
 * The oldest Redis Stream entry some consumer group still needs: below it every group has delivered and
 * acked everything, so trimming there (`XTRIM MINID`) drops only what was relayed.
 */

export interface GroupProgress {
  /** Entries delivered to the group's consumers and not acked yet. */
  readonly pending: number
  /** The smallest of those ids (null when none). */
  readonly oldestPending: string | null
  /** Everything after this id has not been delivered to the group yet. */
  readonly lastDelivered: string
}

const parse = (id: string): [bigint, bigint] => {
  const [ms, seq] = id.split("-")
  return [BigInt(ms!), BigInt(seq ?? "0")]
}

export const compareIds = (a: string, b: string): number => {
  const [am, as] = parse(a)
  const [bm, bs] = parse(b)
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1
}

/** The id right after `id`: the first one a group has not seen. */
export const nextId = (id: string): string => {
  const [ms, seq] = parse(id)
  return `${ms}-${seq + 1n}`
}

/** The first id a group still needs: its oldest pending entry, else the one after its last delivered. */
export const neededFrom = (g: GroupProgress): string =>
  g.pending > 0 && g.oldestPending !== null ? g.oldestPending : nextId(g.lastDelivered)

/** The minimum over groups; undefined without groups (nothing was relayed, so nothing may go). */
export const oldestNeeded = (groups: ReadonlyArray<GroupProgress>): string | undefined =>
  groups.map(neededFrom).reduce<string | undefined>((min, id) => {
    return min === undefined || compareIds(id, min) < 0 ? id : min
  }, undefined)
