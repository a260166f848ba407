#!/usr/bin/env python3
# Fits the rational approximation of tanh used by src/Algorithms/Numerics/VectorMath.cs: tanh(x) ≈ x·P(x²)/Q(x²)
# with P of degree 6 and Q = 1 + q1 s + q2 s² + q3 s³, near-minimax in relative error on [0, 9]. Lawson's
# iteratively reweighted least squares on the linearised error P(s) − g(s)Q(s), g = tanh(x)/x, in 60-digit
# arithmetic (mpmath; Debian: python3-mpmath). Takes about 5 minutes; prints the coefficients and the largest
# relative error before float rounding (1.01e-8).
import mpmath as mp
mp.mp.dps = 60
NP, NQ = 7, 3   # P: p0..p6 (in s=x^2), Q: 1 + q1 s + q2 s^2 + q3 s^3
C = mp.mpf(9)
# grid in x, denser near 0 and mid-range
xs = [C * (mp.mpf(i) / 3000) ** 1.5 for i in range(1, 3001)]
ss = [x * x for x in xs]
gs = [mp.tanh(x) / x for x in xs]
w = [mp.mpf(1)] * len(xs)
qprev = [mp.mpf(1)] * len(xs)
best = None
for it in range(60):
    # rows: sum_k p_k s^k - g * sum_{k>=1} q_k s^k = g   (relative error weighted by 1/(g*Qprev))
    n = NP + NQ
    A = mp.zeros(n, n); b = mp.zeros(n, 1)
    for s, g, wi, qp in zip(ss, gs, w, qprev):
        scale = wi / (g * qp)
        row = [s ** k for k in range(NP)] + [-g * s ** k for k in range(1, NQ + 1)]
        row = [r * scale for r in row]
        rhs = g * scale
        for i in range(n):
            b[i] += row[i] * rhs
            for j in range(n):
                A[i, j] += row[i] * row[j]
    sol = mp.lu_solve(A, b)
    p = [sol[k] for k in range(NP)]; q = [mp.mpf(1)] + [sol[NP + k] for k in range(NQ)]
    errs = []
    for s, g in zip(ss, gs):
        P = mp.polyval(p[::-1], s); Q = mp.polyval(q[::-1], s)
        errs.append((P / Q - g) / g)
    m = max(abs(e) for e in errs)
    if best is None or m < best[0]: best = (m, p, q)
    # Lawson update
    w = [wi * abs(e) for wi, e in zip(w, errs)]
    tot = sum(w); w = [wi / tot * len(w) for wi in w]
    qprev = [mp.polyval(q[::-1], s) for s in ss]
    if it % 10 == 0: print(it, mp.nstr(m, 5))
m, p, q = best
print("max rel err", mp.nstr(m, 6))
print("p", [mp.nstr(v, 17) for v in p])
print("q", [mp.nstr(v, 17) for v in q])
