# Generates the CSV files the CLI tests read. Deterministic (seeded); run: python3 generate.py
import csv
import random


def table(path, seed, rows, amount_mu, countries, weights, quote_note):
    rnd = random.Random(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "amount", "country", "age", "note"])
        for i in range(rows):
            amount = round(rnd.lognormvariate(amount_mu, 0.5), 2)
            country = rnd.choices(countries, weights)[0]
            age = "" if rnd.random() < 0.05 else rnd.randint(18, 80)
            # a free-text column with commas, quotes and line breaks, to exercise RFC 4180 quoting
            note = rnd.choice(["ok", 'said "hi", left', "two\nlines", ""]) if quote_note else "ok"
            w.writerow([i, amount, country, age, note])


table("reference.csv", 1, 300, 3.0, ["de", "fr", "it"], [5, 3, 2], True)
table("current-same.csv", 5, 300, 3.0, ["de", "fr", "it"], [5, 3, 2], True)
table("current-shifted.csv", 3, 300, 3.6, ["de", "fr", "it", "es"], [2, 2, 2, 4], True)
