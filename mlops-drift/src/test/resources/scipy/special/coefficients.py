#!/usr/bin/python3
"""The Taylor coefficients of ln Gamma(2 + z) about z = 0 that dev.mlops.drift.internal.Special holds in
LN_GAMMA_2, computed with mpmath at 40 digits and printed as the Java array (nearest doubles, Python's
shortest repr).

Run with Debian's /usr/bin/python3 (mpmath from the python3-mpmath package):

    /usr/bin/python3 coefficients.py

ln Gamma(1 + z) = -gamma z + sum_{k>=2} (-1)^k zeta(k) / k z^k (Abramowitz and Stegun 6.1.33) and
ln Gamma(2 + z) = ln Gamma(1 + z) + ln(1 + z), so the coefficient of z is 1 - gamma and that of z^k,
k >= 2, is (-1)^k (zeta(k) - 1) / k.
"""
import mpmath as mp

mp.mp.dps = 40
TERMS = 30

coefficients = [1 - mp.euler] + [(-1) ** k * (mp.zeta(k) - 1) / k for k in range(2, TERMS + 1)]
print("    private static final double[] LN_GAMMA_2 = {")
for c in coefficients:
    print(f"        {float(c)!r},")
print("    };")
