"""A fuzzing harness for the reading and cleaning entry point.

    python -m tests.fuzz --seconds 60          # mutate the seeds and the hostile corpus
    python -m tests.fuzz --replay              # run every saved crasher

Each input goes through read → clean → split → structure → metadata. A SeedError
(a clear "this is not a text file" answer) is a correct outcome; any other exception
is a crash: the input is saved in tests/fixtures/crashers/ (kept forever as a
regression test, replayed by tests/test_fuzz.py) and the run fails.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from pathlib import Path

from digest import metadata
from digest.exceptions import SeedError
from digest.read import read_bytes
from digest.rules import Vocabulary, clean
from digest.split import split
from digest.structure import structure

HERE = Path(__file__).parent
CRASHERS = HERE / "fixtures" / "crashers"
CORPUS = sorted((HERE.parent / "seeds").glob("*.txt")) + sorted((HERE / "hostile").glob("*.txt"))
VOCAB = Vocabulary.load()
INTERESTING = ["\n", "\n\n\n", "。", "“", "”", '"', "'", "【打印】", "供图", "记者 ", "一、", "（一）", "本报讯(",
               "浏览次数:", " > ", "\ue7e3", "\x00", "\r", "\ufeff", "A10", "策划 ", "发布日期:2025-02-24"]


def fuzz_one(data: bytes) -> None:
    try:
        source, _ = read_bytes(data, "fuzz.txt")
    except SeedError:
        return
    clean(source, VOCAB)
    for doc in split(source):
        structure(doc, meta_title=source.meta.get("title", ""))
        metadata.extract(doc, source.meta)


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(5)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            del b[pos : pos + rng.randint(1, 64)]
        elif op == 1:
            b[pos:pos] = rng.choice(INTERESTING).encode("utf-8")
        elif op == 2 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 3 and b:
            start = rng.randrange(len(b))
            chunk = b[start : start + rng.randint(1, 200)]
            b[pos:pos] = chunk
        else:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(b)


def save_crasher(data: bytes) -> Path:
    CRASHERS.mkdir(parents=True, exist_ok=True)
    path = CRASHERS / f"{hashlib.sha1(data).hexdigest()[:16]}.bin"
    path.write_bytes(data)
    return path


def run(seconds: float, seed: int = 0) -> int:
    rng = random.Random(seed)
    corpus = [p.read_bytes() for p in CORPUS]
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        data = mutate(rng, rng.choice(corpus))
        try:
            fuzz_one(data)
        except Exception as exc:
            path = save_crasher(data)
            raise RuntimeError(f"crash after {n} inputs, saved as {path}: {exc!r}") from exc
        n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replay", action="store_true")
    args = parser.parse_args()
    if args.replay:
        for path in sorted(CRASHERS.glob("*.bin")):
            fuzz_one(path.read_bytes())
        print(f"replayed {len(list(CRASHERS.glob('*.bin')))} crashers")
        return 0
    n = run(args.seconds, args.seed)
    print(f"{n} inputs in {args.seconds:.0f} s, no crash")
    return 0


if __name__ == "__main__":
    sys.exit(main())
