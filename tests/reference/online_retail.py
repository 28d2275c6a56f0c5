"""Independent reference figures for the analysis of UCI Online Retail (shared/data/real).

Plain Python (csv, decimal, statistics): no code shared with the Rust implementation. It applies
DESIGN.md's definitions directly to the raw rows and prints the figures that
tests/analysis_real.rs asserts. Run: python3 tests/reference/online_retail.py
"""
import csv, gzip, io, math, sys
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

PATH = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real/online_retail/online_retail_uci_by_day.csv.gz"

orders = {}              # invoice -> [customer, datetime, gross]
credits = defaultdict(Decimal)
with gzip.open(PATH, "rt", encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        cust = row["CustomerID"].strip()
        inv = row["InvoiceNo"].strip()
        qty, price = Decimal(row["Quantity"]), Decimal(row["UnitPrice"])
        when = datetime.strptime(row["InvoiceDate"], "%Y-%m-%d %H:%M:%S")
        if inv.upper().startswith("C") or qty < 0:
            if price > 0 and qty != 0 and cust:
                credits[cust] += price * abs(qty)
            continue
        if qty <= 0 or price <= 0 or not cust:
            continue
        o = orders.setdefault(inv, [cust, when, Decimal(0)])
        o[2] += qty * price

by_cust = defaultdict(list)
for inv, (cust, when, gross) in orders.items():
    by_cust[cust].append((when, gross))
as_of = max(w for c in by_cust.values() for w, _ in c).date()
days = lambda d: (d.date() - date(1970, 1, 1)).days
asof_d = (as_of - date(1970, 1, 1)).days

def quantile(sorted_vals, p):  # numpy "linear"
    pos = p * (len(sorted_vals) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (pos - lo)

facts = {}
for c, lst in by_cust.items():
    lst.sort()
    ds = [days(w) for w, _ in lst]
    gross = sum(g for _, g in lst)
    facts[c] = dict(first=ds[0], second=ds[1] if len(ds) > 1 else None, last=ds[-1], n=len(ds),
                    net=gross - credits.get(c, Decimal(0)), ds=ds)
n = len(facts)
print("customers", n)
for N in (30, 60, 90, 180, 365):
    elig = [f for f in facts.values() if f["first"] <= asof_d - N]
    rep = [f for f in elig if f["second"] is not None and f["second"] - f["first"] <= N]
    print(f"window {N} eligible {len(elig)} repeated {len(rep)}")
to_second = sorted(f["second"] - f["first"] for f in facts.values() if f["second"] is not None)
print("to_second median", quantile(to_second, 0.5), "p25", quantile(to_second, 0.25), "p75", quantile(to_second, 0.75))
between = sorted(b - a for f in facts.values() for a, b in zip(f["ds"], f["ds"][1:]))
print("between count", len(between), "median", quantile(between, 0.5), "p90", quantile(between, 0.9))

nets = sorted((f["net"] for f in facts.values()), reverse=True)
total = sum(nets)
for p in (1, 5, 10, 20, 50):
    k = math.ceil(n * p / 100)
    print(f"top {p}% share {float(sum(nets[:k]) / total):.9f}")
asc = nets[::-1]
cum, area = Decimal(0), Decimal(0)
for x in asc:
    area += cum + x / 2
    cum += x
print(f"gini {1 - 2 * float(area) / (n * float(total)):.9f}")

bounds = [90, 180, 270, 360]
stages = [0] * 5
for f in facts.values():
    r = asof_d - f["last"]
    stages[next((i for i, b in enumerate(bounds) if r <= b), 4)] += 1
print("stages", stages)

# RFM quintiles, tie-safe: score = 1 + floor(5 * (#worse + #equal / 2) / n), max 5.
rec = {c: asof_d - f["last"] for c, f in facts.items()}
mon = {c: f["net"] for c, f in facts.items()}
def scores(values, better_is_higher=True, k=5, base=1):
    vals = list(values.values())
    out = {}
    srt = sorted(vals)
    import bisect
    for c, v in values.items():
        lo, hi = bisect.bisect_left(srt, v), bisect.bisect_right(srt, v)
        worse = lo if better_is_higher else len(srt) - hi
        share = (worse + (hi - lo) / 2) / len(srt)
        out[c] = min(base + math.floor(k * share), base + k - 1)
    return out
R = scores(rec, better_is_higher=False)
M = scores(mon)
freq = {c: f["n"] for c, f in facts.items()}
once = sum(1 for v in freq.values() if v == 1)
assert once * 5 >= n  # one-time buyers are common here: they get 1, repeaters spread over 2..5
rep_f = {c: v for c, v in freq.items() if v > 1}
F = {c: 1 for c, v in freq.items() if v == 1}
F.update(scores(rep_f, k=4, base=2))
count = lambda S: [sum(1 for v in S.values() if v == s) for s in range(1, 6)]
print("r_counts", count(R), "f_counts", count(F), "m_counts", count(M))
grid = {}
for name, cells in [("champions", [55, 54, 45]), ("loyal", [53, 44, 35, 34]), ("potential_loyalist", [52, 42, 43, 33]),
                    ("new", [51]), ("promising", [41, 31]), ("need_attention", [32, 23, 22]), ("about_to_sleep", [21]),
                    ("at_risk", [25, 24, 13]), ("cant_lose_them", [15, 14]), ("hibernating", [12]), ("lost", [11])]:
    for cell in cells:
        grid[cell] = name
seg = defaultdict(int)
for c in facts:
    fm = math.ceil((F[c] + M[c]) / 2)
    seg[grid[R[c] * 10 + fm]] += 1
print("segments", dict(sorted(seg.items())))
mr = sum(rec.values()) / n
mf = sum(freq.values()) / n
mm = sum(mon.values()) / n
cn = defaultdict(int)
for c in facts:
    cn[(mon[c] > mm, rec[c] < mr, freq[c] > mf)] += 1
print("cn important_value", cn[(True, True, True)], "general_retain", cn[(False, False, False)])
