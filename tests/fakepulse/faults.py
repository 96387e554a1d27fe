"""Fault switches (`POST /_fake/faults`, `--fault`): one JSON object sets any of them.

Page faults match `/api/resources` list pages by their `page` number. Counted faults
(`times`) fire that many times and then stop; `times: -1` never stops. One-shot events
(`churn`, `vanish`) fire once, right after the named page has been sent.
"""

from __future__ import annotations

import threading

KNOWN = {"slowPage", "errorPage", "dropPage", "churn", "vanish", "brokenEnvelope", "malformedRow", "down", "action",
         "executeDelaySeconds", "planTTLSeconds", "clockOffsetSeconds", "clear", "slowAll", "executeHoldSeconds"}


class FaultError(ValueError):
    pass


class Faults:
    def __init__(self):
        self.lock = threading.RLock()
        self.state: dict = {}

    def get(self, key: str, default=None):
        with self.lock:
            return self.state.get(key, default)

    def snapshot(self) -> dict:
        with self.lock:
            return {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.state.items()}

    def update(self, doc: dict) -> list[str]:
        """Apply a fault document; returns the keys set. `clear: true` first resets everything."""
        if not isinstance(doc, dict):
            raise FaultError("a fault document is a JSON object")
        unknown = [k for k in doc if k not in KNOWN]
        if unknown:
            raise FaultError(f"unknown fault(s): {', '.join(unknown)}")
        with self.lock:
            if doc.get("clear"):
                self.state.clear()
            for key, value in doc.items():
                if key == "clear":
                    continue
                if key == "action":
                    if not isinstance(value, dict):
                        raise FaultError("action: an object like {\"plan\": CODE}")
                    merged = dict(self.state.get("action", {}))
                    times = value.get("times", -1)
                    for stage in ("plan", "decision", "execute", "refresh"):
                        if stage in value:
                            merged[stage] = {"code": value[stage], "times": times}
                    if "reasonCode" in value:
                        merged["reasonCode"] = value["reasonCode"]
                    self.state["action"] = merged
                elif key in ("errorPage", "dropPage", "brokenEnvelope"):
                    if not isinstance(value, dict) or "page" not in value:
                        raise FaultError(f"{key}: needs a page")
                    entry = dict(value)
                    entry.setdefault("times", 1 if key == "dropPage" else -1)
                    if key == "errorPage":
                        entry.setdefault("status", 500)
                    self.state[key] = entry
                elif key in ("churn", "vanish"):
                    if not isinstance(value, dict) or "afterPage" not in value:
                        raise FaultError(f"{key}: needs afterPage")
                    self.state[key] = dict(value, fired=False)
                else:
                    self.state[key] = value
            return [k for k in doc if k != "clear"]

    # -- page faults ------------------------------------------------------------------------------
    def _count(self, key: str, page: int) -> dict | None:
        entry = self.state.get(key)
        if not entry or int(entry["page"]) != page:
            return None
        times = int(entry.get("times", -1))
        if times == 0:
            return None
        if times > 0:
            entry["times"] = times - 1
        return entry

    def page_error(self, page: int) -> dict | None:
        with self.lock:
            return self._count("errorPage", page)

    def page_drop(self, page: int) -> bool:
        with self.lock:
            return self._count("dropPage", page) is not None

    def page_broken(self, page: int) -> dict | None:
        with self.lock:
            return self._count("brokenEnvelope", page)

    def page_delay(self, page: int) -> float:
        with self.lock:
            slow = self.state.get("slowPage")
            delay = float(self.state.get("slowAll", 0) or 0)
            if slow and int(slow.get("page", -1)) == page:
                delay += float(slow.get("seconds", 0))
            return delay

    def after_page(self, key: str, page: int) -> dict | None:
        """An event due after `page` was served: returned once, or `times` times (each walk past the page)."""
        with self.lock:
            entry = self.state.get(key)
            if entry and not entry.get("fired") and int(entry["afterPage"]) == page:
                entry["left"] = int(entry.get("left", entry.get("times", 1))) - 1
                entry["fired"] = entry["left"] <= 0
                return entry
            return None

    # -- action faults ----------------------------------------------------------------------------
    def take_action(self, stage: str):
        with self.lock:
            entry = (self.state.get("action") or {}).get(stage)
            if not entry:
                return None
            times = int(entry.get("times", -1))
            if times == 0:
                return None
            if times > 0:
                entry["times"] = times - 1
            return entry["code"]

    def action_reason_code(self) -> str | None:
        with self.lock:
            return (self.state.get("action") or {}).get("reasonCode")
