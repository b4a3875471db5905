/**
 * Load generator of the API benchmark, run in a worker thread so it has its own core: `clients` keep-alive
 * connections, each sending its next GET as soon as the previous answer is read (closed loop), or after a pause
 * of about `thinkMs` (polling), for `seconds`.
 * Posts back every latency in ms and the number of non-200 answers.
 */
import { Agent, request } from "node:http"
import { parentPort, workerData } from "node:worker_threads"

interface LoadOptions {
  readonly port: number
  readonly clients: number
  readonly seconds: number
  /** Paths to request, taken in turn. */
  readonly paths: ReadonlyArray<string>
  /** Pause between one client's requests; 0: as fast as answers come. */
  readonly thinkMs: number
}

const o = workerData as LoadOptions
const agent = new Agent({ keepAlive: true, maxSockets: o.clients })

const get = (path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: o.port, path, agent }, (res) => {
      res.on("data", () => {})
      res.on("end", () => resolve(res.statusCode ?? 0))
    })
    req.on("error", reject)
    req.end()
  })

const latencies: number[] = []
let failures = 0
let next = 0
const deadline = performance.now() + o.seconds * 1000

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

// Polling clients start at random moments and vary their pause (0.5x..1.5x), as independent clients would;
// in lockstep all of them would hit the server in the same millisecond every round.
const client = async () => {
  if (o.thinkMs > 0) await pause(Math.random() * o.thinkMs)
  while (performance.now() < deadline) {
    const path = o.paths[next++ % o.paths.length]!
    const t0 = performance.now()
    const status = await get(path)
    latencies.push(performance.now() - t0)
    if (status !== 200) failures++
    if (o.thinkMs > 0) await pause(o.thinkMs * (0.5 + Math.random()))
  }
}

await Promise.all(Array.from({ length: o.clients }, client))
agent.destroy()
parentPort!.postMessage({ latencies, failures })
