"""The QMT bridge: xtquant (Python-only, Windows, next to a logged-in QMT) -> one JSON line per fact on stdout.

  python bridge.py live [--include-bj]
      {"type":"tick","symbol","time","lastPrice","open","high","low","lastClose","amount","volume","pvolume"}
      {"type":"ref","symbol","day","InstrumentName","PreClose","UpStopPrice","DownStopPrice","adjust"}
      {"type":"heartbeat","time"}        every second, and after each tick batch when the clock is "ticks"
  python bridge.py history --from YYYYMMDD --to YYYYMMDD [--symbols A,B] [--include-bj]
      {"type":"bar","symbol","time","open","high","low","close","volume","amount"} per QMT 1m bar, then
      {"type":"done","symbols","bars"} and exit 0

Why it is shaped like this:
- QMT's callback must never block: it only puts the batch on a queue; one writer thread serialises and writes.
  When the adapter cannot keep up and MAX_QUEUED_TICKS wait, batches are merged into the latest snapshot per
  symbol: QMT's volumes are cumulative, so a merged snapshot loses no volume, only intra-batch timing.
- stdout is written as UTF-8 bytes and flushed per batch (no buffering, no console code page).
- When xtdata.run() raises (QMT disconnected) or stdout/stdin close (the adapter died), the bridge exits
  non-zero at once; the adapter restarts it.
- MINUTEBAR_BRIDGE_CLOCK=ticks makes heartbeats carry the latest tick time instead of the wall clock: for
  replays of recorded days, whose only clock is the ticks'.
"""
import json
import os
import queue
import re
import sys
import threading
import time

TICK_FIELDS = ("time", "lastPrice", "open", "high", "low", "lastClose", "amount", "volume", "pvolume")
BAR_FIELDS = ("time", "open", "high", "low", "close", "volume", "amount")
SYMBOL = re.compile(r"^\d{6}\.(SH|SZ|BJ)$")
MAX_QUEUED_TICKS = 250_000  # ~2.5 minutes of whole-market pushes
SHANGHAI_MS = 8 * 3600 * 1000


def log(message):
    sys.stderr.write(f"bridge: {message}\n")
    sys.stderr.flush()


def die(code, message):
    log(message)
    os._exit(code)


# Epoch ms of 2000-01-01 .. 2100-01-01, and how far a tick may run ahead of the clock (any holiday is shorter).
MIN_MS, MAX_MS = 946_684_800_000, 4_102_444_800_000
MAX_LEAP_MS = 31 * 86_400_000


def plausible(t, clock_ms):
    """A tick time the bridge may take as the market clock: whole ms, 2000..2100, not far ahead of the clock."""
    if isinstance(t, bool) or not isinstance(t, (int, float)) or t != int(t) or not MIN_MS <= t < MAX_MS:
        return False
    return clock_ms is None or t - clock_ms <= MAX_LEAP_MS


def day_of(ms):
    return time.strftime("%Y-%m-%d", time.gmtime((ms + SHANGHAI_MS) / 1000))


class Out:
    """The only writer of stdout. Callers enqueue; the writer thread serialises, writes and flushes."""

    def __init__(self, tick_clock):
        self.queue = queue.Queue()
        self.queued_ticks = 0
        self.merged = {}
        self.lock = threading.Lock()
        self.tick_clock = tick_clock
        self.last_tick_ms = None
        threading.Thread(target=self.run, daemon=True).start()

    def ticks(self, datas):
        # Once merging has begun, later batches merge too, so nothing newer overtakes a queued older batch.
        with self.lock:
            if not self.merged and self.queued_ticks + len(datas) <= MAX_QUEUED_TICKS:
                self.queued_ticks += len(datas)
                self.queue.put_nowait(("ticks", datas))
                return
            self.merged.update(datas)

    def line(self, obj):
        self.queue.put(("line", obj))

    def run(self):
        stdout = sys.stdout.buffer
        while True:
            kind, payload = self.queue.get()
            if kind == "ticks":
                with self.lock:
                    self.queued_ticks -= len(payload)
            text = self.render(kind, payload)
            if self.queue.empty():
                with self.lock:
                    merged, self.merged = self.merged, {}
                if merged:
                    text += self.render("ticks", merged)
            try:
                stdout.write(text.encode("utf-8"))
                stdout.flush()
            except (BrokenPipeError, OSError) as e:
                die(3, f"stdout closed ({e}); the adapter is gone")

    def render(self, kind, payload):
        if kind == "line":
            return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
        parts = []
        for code, d in payload.items():
            tick = {"type": "tick", "symbol": code}
            for f in TICK_FIELDS:
                if f in d:
                    tick[f] = d[f]
            t = d.get("time")
            # A bad tick's time must not become the clock: it would close (or reopen) every bar at once.
            if plausible(t, self.last_tick_ms) and (self.last_tick_ms is None or t > self.last_tick_ms):
                self.last_tick_ms = int(t)
            parts.append(json.dumps(tick, separators=(",", ":")))
        if self.tick_clock and self.last_tick_ms is not None:
            parts.append(json.dumps({"type": "heartbeat", "time": self.last_tick_ms}, separators=(",", ":")))
        return "\n".join(parts) + "\n" if parts else ""

    def now_ms(self):
        return self.last_tick_ms if self.tick_clock else int(time.time() * 1000)


def watch_stdin():
    """The adapter holds our stdin open; EOF means it died, so we go too instead of lingering."""
    try:
        while sys.stdin.buffer.read(65536):
            pass
    finally:
        die(4, "stdin closed; the adapter is gone")


def connect(xtdata):
    if hasattr(xtdata, "connect"):
        xtdata.connect()


def stock_list(xtdata, include_bj):
    xtdata.download_sector_data()
    codes = list(xtdata.get_stock_list_in_sector("沪深A股") or [])
    if include_bj:
        codes += list(xtdata.get_stock_list_in_sector("京市A股") or xtdata.get_stock_list_in_sector("北交所") or [])
    return sorted({c for c in codes if SYMBOL.match(c)})


def adjust_factor(xtdata, code, day):
    """Cumulative back-adjustment factor on `day`: the product of QMT's per-event `dr` up to that day."""
    frame = xtdata.get_divid_factors(code, "", day.replace("-", ""))
    factor = 1.0
    if frame is not None and not getattr(frame, "empty", True):
        for row in frame.to_dict("records"):
            dr = row.get("dr")
            if isinstance(dr, (int, float)) and dr > 0:
                factor *= dr
    return factor


def reference(xtdata, code, day):
    detail = xtdata.get_instrument_detail(code)
    if not detail:
        return None
    ref = {"type": "ref", "symbol": code, "day": day, "adjust": adjust_factor(xtdata, code, day)}
    for f in ("InstrumentName", "PreClose", "UpStopPrice", "DownStopPrice"):
        ref[f] = detail.get(f)
    return ref


def publish_references(xtdata, out, codes, day):
    sent = 0
    for code in codes:
        try:
            ref = reference(xtdata, code, day)
        except Exception as e:  # one symbol's bad detail must not cost the others theirs
            log(f"reference data of {code} failed: {e}")
            continue
        if ref is not None:
            out.line(ref)
            sent += 1
    log(f"reference data of {day}: {sent} of {len(codes)} symbols")


def live(args):
    from xtquant import xtdata

    out = Out(os.environ.get("MINUTEBAR_BRIDGE_CLOCK") == "ticks")
    threading.Thread(target=watch_stdin, daemon=True).start()
    connect(xtdata)
    codes = stock_list(xtdata, "--include-bj" in args)
    log(f"{len(codes)} symbols")
    ref_days = set()

    # Reference data of a trading day is published when its first ticks arrive: by then QMT has the day's
    # PreClose and limits, whenever the bridge was started.
    def on_quote(datas):
        out.ticks(datas)
        # The day comes from a tick time the clock agrees with, so a bad tick cannot ask for another day's data.
        clock = out.now_ms()
        times = (d.get("time") for d in datas.values() if isinstance(d, dict))
        t = next((t for t in times if plausible(t, clock) and (clock is None or t >= clock - MAX_LEAP_MS)), None)
        if t is not None and day_of(t) not in ref_days:
            ref_days.add(day_of(t))
            threading.Thread(target=publish_references, args=(xtdata, out, codes, day_of(t)), daemon=True).start()

    def heartbeat():
        while True:
            out.line({"type": "heartbeat", "time": out.now_ms()})
            time.sleep(1)

    xtdata.subscribe_whole_quote(codes, callback=on_quote)
    threading.Thread(target=heartbeat, daemon=True).start()
    try:
        xtdata.run()
    except BaseException as e:
        die(2, f"xtdata.run() ended: {e!r} (QMT disconnected?)")
    die(2, "xtdata.run() returned")


def option(args, name, default=None):
    return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else default


def history(args):
    from xtquant import xtdata

    start, end = option(args, "--from"), option(args, "--to")
    if not start or not end:
        die(64, "history needs --from YYYYMMDD --to YYYYMMDD")
    threading.Thread(target=watch_stdin, daemon=True).start()
    connect(xtdata)
    symbols = option(args, "--symbols")
    codes = symbols.split(",") if symbols else stock_list(xtdata, "--include-bj" in args)
    stdout, total = sys.stdout.buffer, 0
    for code in codes:
        xtdata.download_history_data(code, "1m", start, end)
        data = xtdata.get_market_data_ex([], [code], period="1m", start_time=start + "000000", end_time=end + "235959")
        frame = data.get(code) if data else None
        rows = frame.to_dict("records") if frame is not None and not getattr(frame, "empty", True) else []
        lines = []
        for row in rows:
            bar = {"type": "bar", "symbol": code}
            for f in BAR_FIELDS:
                bar[f] = row.get(f)
            lines.append(json.dumps(bar, separators=(",", ":")))
        total += len(lines)
        if lines:
            stdout.write(("\n".join(lines) + "\n").encode("utf-8"))
            stdout.flush()
    stdout.write((json.dumps({"type": "done", "symbols": len(codes), "bars": total}) + "\n").encode("utf-8"))
    stdout.flush()
    log(f"history {start}..{end}: {total} bars of {len(codes)} symbols")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "live"
    if mode == "live":
        live(sys.argv[2:])
    elif mode == "history":
        history(sys.argv[2:])
        sys.stdout.flush()
        os._exit(0)
    else:
        die(64, f"unknown mode {mode!r}: use live or history")
