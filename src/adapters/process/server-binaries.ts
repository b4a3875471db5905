/**
 * Finds the Redis and NATS server binaries, installing Debian's packages when we are root on a Debian-like
 * system, otherwise telling the user the exact command for their platform.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync } from "node:fs"

export interface ServerBinary {
  readonly name: "redis-server" | "nats-server"
  readonly debianPackage: string
  readonly brewFormula: string
}

export const REDIS_SERVER: ServerBinary = {
  name: "redis-server",
  debianPackage: "redis-server",
  brewFormula: "redis",
}
export const NATS_SERVER: ServerBinary = {
  name: "nats-server",
  debianPackage: "nats-server",
  brewFormula: "nats-server",
}

const SEARCH_DIRS = ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/usr/local/sbin"]

export const findBinary = (name: string): string | undefined => {
  const which = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" })
  const found = which.stdout.trim()
  if (which.status === 0 && found !== "") return found
  return SEARCH_DIRS.map((d) => `${d}/${name}`).find((p) => existsSync(p))
}

export const installHint = (bins: ReadonlyArray<ServerBinary>): string =>
  process.platform === "darwin"
    ? `brew install ${bins.map((b) => b.brewFormula).join(" ")}`
    : `sudo apt-get install -y ${bins.map((b) => b.debianPackage).join(" ")}`

const canApt = (): boolean => process.getuid?.() === 0 && findBinary("apt-get") !== undefined

/** Returns absolute paths of the binaries, installing what is missing when allowed; throws with the install command otherwise. */
export const ensureServerBinaries = (
  bins: ReadonlyArray<ServerBinary>,
  log: (line: string) => void,
): Record<string, string> => {
  const missing = bins.filter((b) => findBinary(b.name) === undefined)
  if (missing.length > 0 && canApt()) {
    log(`installing ${missing.map((b) => b.debianPackage).join(", ")} with apt-get ...`)
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" })
    execFileSync("apt-get", ["install", "-y", "-qq", ...missing.map((b) => b.debianPackage)], {
      stdio: "ignore",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    })
  }
  const paths: Record<string, string> = {}
  const stillMissing: ServerBinary[] = []
  for (const b of bins) {
    const path = findBinary(b.name)
    if (path === undefined) stillMissing.push(b)
    else paths[b.name] = path
  }
  if (stillMissing.length > 0) {
    throw new Error(
      `missing ${stillMissing.map((b) => b.name).join(" and ")}; install with: ${installHint(stillMissing)}` +
        " (or set REDIS_URL / NATS_URL to servers you run yourself)",
    )
  }
  return paths
}
