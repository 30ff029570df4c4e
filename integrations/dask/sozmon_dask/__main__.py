"""python -m sozmon_dask run CONFIG --parts N [--scheduler ADDRESS | --local W] --out DIR"""
import argparse
import json
import sys

from .driver import PartFailed, run


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sozmon_dask")
    commands = parser.add_subparsers(dest="command", required=True)
    r = commands.add_parser("run", help="one edition over a Dask cluster, written as `sozmon run` writes it")
    r.add_argument("config", help="the sozmon TOML config")
    r.add_argument("--parts", type=int, required=True, help="number of parts (by the top level of the hierarchy)")
    where = r.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786)")
    where.add_argument("--local", type=int, metavar="W", help="a LocalCluster of W worker processes (default 2)")
    r.add_argument("--out", required=True, help="the report folder (must not exist yet, or be empty)")
    r.add_argument("--data", metavar="URL", help="the folder URL (http(s):// or fsspec, e.g. s3://bucket/city) that holds "
                                                 "the config's tables as the config names them: the workers read and split "
                                                 "them there, and the client reads none of them")
    r.add_argument("--sozmon", default="sozmon", help="the sozmon binary on the workers (default: sozmon on PATH)")
    r.add_argument("--work", help="folder for parts and moments on the client (the workers get and return bytes; "
                                  "default: a new folder beside --out, removed afterwards)")
    r.add_argument("--timings", help="write the phases' wall times and the workers' peak memory to this JSON file")
    args = parser.parse_args(argv)
    try:
        timings = run(args.config, parts=args.parts, out=args.out, scheduler=args.scheduler, local=args.local,
                      sozmon=args.sozmon, work=args.work, data=args.data)
    except PartFailed as failure:
        print(f"sozmon_dask: {failure}", file=sys.stderr)
        return 1
    if args.timings:
        with open(args.timings, "w") as f:
            json.dump(timings, f, indent=1, sort_keys=True)
    asked = "" if timings["parts"] == args.parts else f" of {args.parts} asked: a top-level unit is never cut"
    print(f"wrote {args.out} ({timings['parts']} parts{asked}, {timings['wall_seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
