import { describe, expect, it } from "vitest"
import { compareIds, nextId, oldestNeeded } from "../../../src/adapters/redis/relayed-floor.ts"

describe("the oldest entry a consumer group still needs", () => {
  it("is a group's oldest pending entry while it has one", () => {
    expect(oldestNeeded([{ pending: 3, oldestPending: "5-2", lastDelivered: "9-0" }])).toBe("5-2")
  })

  it("is the entry after the last delivered one when nothing is pending", () => {
    expect(oldestNeeded([{ pending: 0, oldestPending: null, lastDelivered: "9-7" }])).toBe("9-8")
  })

  it("is the minimum over groups, so a lagging group keeps every entry it has not acked", () => {
    const groups = [
      { pending: 0, oldestPending: null, lastDelivered: "1700000000123-4" },
      { pending: 0, oldestPending: null, lastDelivered: "0-0" },
    ]
    expect(oldestNeeded(groups)).toBe("0-1")
  })

  it("is nothing without groups: nothing was relayed, so nothing may be trimmed", () => {
    expect(oldestNeeded([])).toBeUndefined()
  })

  it("compares ids by time, then sequence, as numbers", () => {
    expect(compareIds("10-0", "9-99")).toBe(1)
    expect(compareIds("9-10", "9-9")).toBe(1)
    expect(compareIds("9-9", "9-9")).toBe(0)
    expect(nextId("18446744073709551615-18446744073709551614")).toBe(
      "18446744073709551615-18446744073709551615",
    )
  })
})
