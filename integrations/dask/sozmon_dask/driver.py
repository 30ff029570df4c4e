"""The passes of `sozmon part` as Dask tasks. The client splits, merges, gathers and finishes in its own folder; the
per-part passes run on the workers in folders of their own, their inputs sent and their outputs returned as bytes
through Dask, so that the workers need no file system in common with the client."""
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time


class PartFailed(RuntimeError):
    """A task of one part failed (after Dask's retries): the part, the verb and sozmon's message."""


def sozmon_task(sozmon, arguments, part, shared=(), files=None, outputs=()):
    """One call of the sozmon binary on a worker, in a folder of its own: the files of each of `shared` (dicts sent to
    every worker once) and of `files` (relative path → bytes) are written there first, `{here}` in the arguments stands for that folder, and the `outputs` (files
    or folders, relative to it) come back as bytes. Nothing of the client's file system is read, so the workers need
    no shared disk; a retry starts in a new folder. Returns the outputs, the wall time and the worker's largest child
    (peak RSS, bytes); raises PartFailed with the part and sozmon's message when it fails."""
    with tempfile.TemporaryDirectory(prefix="sozmon-task-") as here:
        for relative, data in [item for tree in [*shared, files or {}] for item in tree.items()]:
            path = os.path.join(here, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        for output in outputs:
            os.makedirs(os.path.dirname(os.path.join(here, output)), exist_ok=True)
        start = time.perf_counter()
        done = subprocess.run([sozmon, *[a.replace("{here}", here) for a in arguments]], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            message = (done.stderr or done.stdout).strip().replace(here + os.sep, "")
            raise PartFailed(f"{part}: sozmon {' '.join(arguments[:2])} failed with status {done.returncode}: {message}")
        results = {}
        for output in outputs:
            results.update(_read_tree(here, output))
    return {"part": part, "seconds": seconds, "peak_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
            "worker_pid": os.getpid(), "files": results}


def _read_tree(root, relative):
    """The file `relative` under `root`, or every file of the folder, as relative path → bytes."""
    path = os.path.join(root, relative)
    if os.path.isfile(path):
        with open(path, "rb") as f:
            return {relative: f.read()}
    tree = {}
    for folder, _, names in os.walk(path):
        for name in names:
            full = os.path.join(folder, name)
            with open(full, "rb") as f:
                tree[os.path.relpath(full, root)] = f.read()
    return tree


def _write_tree(root, files):
    for relative, data in files.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def _config_files(config):
    """The config and the files a part pass reads besides its part (a parent table, a names table), as relative path
    under `config/` → bytes. A path outside the config's folder is left as it is (the workers must see it there)."""
    import tomllib
    folder = os.path.dirname(config)
    with open(config, "rb") as f:
        text = f.read()
    files = {os.path.join("config", os.path.basename(config)): text}
    tables = tomllib.loads(text.decode("utf-8"))
    for section, key in (("input", "parents"), ("names", "table")):
        value = tables.get(section, {}).get(key)
        if isinstance(value, str) and not os.path.isabs(value):
            relative = os.path.normpath(value)
            if not relative.startswith(".."):
                with open(os.path.join(folder, relative), "rb") as f:
                    files[os.path.join("config", relative)] = f.read()
    return files


def _local(sozmon, arguments, what):
    done = subprocess.run([sozmon, *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        raise PartFailed(f"{what}: sozmon {' '.join(arguments[:2])} failed with status {done.returncode}: "
                         f"{(done.stderr or done.stdout).strip()}")
    return done.stdout


def run(config, parts, out, scheduler=None, local=None, sozmon="sozmon", work=None, retries=2):
    """Runs the edition of `config` in `parts` parts on a Dask cluster (`scheduler` address, or a LocalCluster of
    `local` workers) and writes the report folder `out`. Returns the number of parts (fewer than asked where there are
    fewer top-level units: a unit is never cut) and the timings: wall time per phase, the time the sozmon processes
    took on the workers, and each worker's peak memory."""
    from dask.distributed import Client, LocalCluster

    config, out = os.path.abspath(config), os.path.abspath(out)
    sozmon = shutil.which(sozmon) or os.path.abspath(sozmon)
    if not os.path.isfile(config):
        raise PartFailed(f"{config}: the config file does not exist")
    if not os.access(sozmon, os.X_OK):
        raise PartFailed(f"{sozmon}: no sozmon binary there (give --sozmon PATH)")
    if os.path.isdir(out) and os.listdir(out) and not os.path.isfile(os.path.join(out, "run.json")):
        raise PartFailed(f"{out}: exists and is not empty (sozmon replaces only a report folder it wrote)")
    made_work = work is None
    work = os.path.abspath(work or tempfile.mkdtemp(prefix=".sozmon-dask-", dir=os.path.dirname(out)))
    phases, tasks = {}, []
    started = time.perf_counter()
    try:
        cluster = None if scheduler else LocalCluster(n_workers=local or 2, threads_per_worker=1, processes=True,
                                                      dashboard_address=None)
        client = Client(scheduler or cluster, timeout="30s")
    except (OSError, TimeoutError) as error:
        raise PartFailed(f"cannot start or reach the Dask cluster ({scheduler or 'local'}): {error}") from None
    try:
        def timed(name, body):
            t = time.perf_counter()
            result = body()
            phases[name] = time.perf_counter() - t
            return result

        def each_part(name, build):
            """One task per part (Dask's retries), gathered in part order; each returns its outputs as bytes, which
            are written here under `work`."""
            futures = []
            for k, p in enumerate(names):
                arguments, files, outputs = build(k, p)
                futures.append(client.submit(sozmon_task, sozmon, arguments, p, shared, files, outputs,
                                             key=f"{name}-{k:04d}", pure=False, retries=retries))
            results = client.gather(futures)
            for r in results:
                _write_tree(work, r.pop("files"))
            tasks.extend({**r, "phase": name} for r in results)
            return results

        folder = os.path.join(work, "parts")
        names = timed("split", lambda: _local(sozmon, ["part", "split", config, "--parts", str(parts), "--out", folder],
                                              "split").split())
        # What every task needs (the config, the split's records) goes to every worker once.
        split_files = {os.path.join("parts", n): open(os.path.join(folder, n), "rb").read()
                       for n in os.listdir(folder) if not n.startswith("part-")}
        # (Scattered as one value in a list: a dict would be scattered value by value, keyed by its file names.)
        shared = client.scatter([{**_config_files(config), **split_files}], broadcast=True)
        task_config = os.path.join("{here}", "config", os.path.basename(config))
        stem = lambda p: p[:-len(".csv")]

        def part_files(p):
            """The part's table and its pieces of the other tables, from the split."""
            return {os.path.join("parts", n): open(os.path.join(folder, n), "rb").read()
                    for n in os.listdir(folder) if n == p or n.startswith(stem(p) + ".")}

        def read(path):
            with open(path, "rb") as f:
                return f.read()

        def stats(moments, out):
            return lambda k, p: (["part", "stats", task_config, "--part", os.path.join("{here}", "parts", p)]
                                 + (["--moments", os.path.join("{here}", "moments.json")] if moments else [])
                                 + ["--out", os.path.join("{here}", out, stem(p) + ".json")],
                                 {**part_files(p), **({"moments.json": read(moments)} if moments else {})},
                                 [os.path.join(out, stem(p) + ".json")])

        timed("stats1", lambda: each_part("stats1", stats(None, "stats1")))
        moments1 = os.path.join(work, "moments1.json")
        timed("merge1", lambda: _local(sozmon, ["part", "merge", *[os.path.join(work, "stats1", stem(p) + ".json")
                                                                   for p in names], "--out", moments1], "merge"))
        timed("stats2", lambda: each_part("stats2", stats(moments1, "stats2")))
        moments2 = os.path.join(work, "moments2.json")
        timed("merge2", lambda: _local(sozmon, ["part", "merge", *[os.path.join(work, "stats2", stem(p) + ".json")
                                                                   for p in names], "--out", moments2], "merge"))
        timed("apply", lambda: each_part("apply", lambda k, p: (
            ["part", "apply", task_config, "--part", os.path.join("{here}", "parts", p),
             "--moments", os.path.join("{here}", "moments.json"), "--out", os.path.join("{here}", "out", stem(p))],
            {**part_files(p), "moments.json": read(moments2)}, [os.path.join("out", stem(p))])))
        finish = ["--split", folder]
        with open(os.path.join(work, "out", stem(names[0]), "part.json"), encoding="utf-8") as f:
            spatial = "values.csv" in json.load(f)["files"]  # apply wrote the part's [spatial] values
        if spatial:
            # [spatial]: all values in the table's order and each part's weights with its halo (gather, here), then
            # each part's local statistics and Moran sums (tasks, each given the values and its own weights);
            # finish merges them.
            gathered = os.path.join(work, "gathered")
            timed("gather", lambda: _local(sozmon, ["part", "gather", config, *[os.path.join(work, "out", stem(p)) for p in names],
                                                    "--order", os.path.join(folder, "order.csv"), "--out", gathered], "gather"))
            common = client.scatter([{os.path.join("gathered", n): read(os.path.join(gathered, n)) for n in os.listdir(gathered)
                                      if not n.endswith(".weights.csv")}], broadcast=True)[0]

            def spatial_task(k, p):
                weights = f"part-{k + 1:04d}.weights.csv"
                return (["part", "spatial", task_config, "--gathered", os.path.join("{here}", "gathered"),
                         "--part", str(k + 1), "--out", os.path.join("{here}", "spatial", stem(p))],
                        {os.path.join("gathered", weights): read(os.path.join(gathered, weights))},
                        [os.path.join("spatial", stem(p))])

            shared.append(common)
            timed("spatial", lambda: each_part("spatial", spatial_task))
            finish += ["--gathered", gathered] + [a for p in names for a in ("--spatial", os.path.join(work, "spatial", stem(p)))]
        timed("finish", lambda: _local(sozmon, ["part", "finish", config, *[os.path.join(work, "out", stem(p)) for p in names],
                                                "--moments", moments2, *finish, "--out", out], "finish"))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if made_work:
            shutil.rmtree(work, ignore_errors=True)
    wall = time.perf_counter() - started
    workers = {}
    for t in tasks:
        workers[t["worker_pid"]] = max(workers.get(t["worker_pid"], 0), t["peak_rss"])
    task_seconds = {name: sum(t["seconds"] for t in tasks if t["phase"] == name) for name in ("stats1", "stats2", "apply", "spatial")}
    return {"parts": len(names), "parts_asked": parts, "wall_seconds": wall, "phases": phases, "sozmon_seconds_in_tasks": task_seconds,
            "worker_peak_rss_bytes": sorted(workers.values(), reverse=True)}
