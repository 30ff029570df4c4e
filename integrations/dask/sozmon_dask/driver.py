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


def sozmon_task(sozmon, arguments, part, trees=(), outputs=(), fetch=None):
    """One call of the sozmon binary on a worker, in a folder of its own: the files of each of `trees` (relative path
    → bytes; futures of such dicts arrive as their values) are written there first, and each file of `fetch`
    (relative path → URL) is downloaded there by this worker; `{here}` in the arguments stands for that folder, and
    the `outputs` (files or folders, relative to it) come back as bytes, with sozmon's stdout. Nothing of the client's
    file system is read, so the workers need no shared disk; a retry starts in a new folder. Returns the outputs, the
    wall time and the sozmon process's peak RSS (bytes); raises PartFailed with the part and sozmon's message when it
    fails."""
    with tempfile.TemporaryDirectory(prefix="sozmon-task-") as here:
        for relative, data in [item for tree in trees for item in tree.items()]:
            path = os.path.join(here, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        for relative, url in (fetch or {}).items():
            _download(url, os.path.join(here, relative), part)
        for output in outputs:
            os.makedirs(os.path.dirname(os.path.join(here, output)), exist_ok=True)
        start = time.perf_counter()
        status, stdout, stderr, peak = _measured([sozmon, *[a.replace("{here}", here) for a in arguments]])
        seconds = time.perf_counter() - start
        if status != 0:
            message = (stderr or stdout).strip().replace(here + os.sep, "")
            raise PartFailed(f"{part}: sozmon {' '.join(arguments[:2])} failed with status {status}: {message}")
        results = {}
        for output in outputs:
            results.update(_read_tree(here, output))
    return {"part": part, "seconds": seconds, "peak_rss": peak, "worker_pid": os.getpid(), "stdout": stdout,
            "files": results}


def _download(url, path, part):
    """Copies `url` to `path` in blocks: http(s) with the standard library, any other fsspec URL (s3://, gs://, …)
    through fsspec and the filesystem package it names (s3fs, gcsfs, …), which the workers must have."""
    import urllib.request
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        if url.startswith(("http://", "https://")):
            source = urllib.request.urlopen(url, timeout=120)
        else:
            import fsspec
            source = fsspec.open(url, "rb").open()
        with source, open(path, "wb") as f:
            shutil.copyfileobj(source, f, 1 << 22)
    except Exception as error:  # the URL's own error (HTTP status, no such bucket, no fsspec implementation …)
        raise PartFailed(f"{part}: cannot read {url} on the worker: {error}") from None


def _pick(result, prefix):
    """The files of a task's result under `prefix` whose name starts so (the part's pieces of a split)."""
    return {name: data for name, data in result["files"].items() if name.startswith(prefix)}


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


def _records(result):
    """A split's result without its parts: the records (split.json, the order files) and how the task went."""
    return {**result, "files": {n: d for n, d in result["files"].items() if not os.path.basename(n).startswith("part-")}}


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _write_tree(root, files):
    for relative, data in files.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def _config_files(config):
    """The config and the files a part pass reads besides its part (a parent table, a names table), as relative path
    under `config/` → bytes. A path outside the config's folder is left as it is (the workers must see it there)."""
    folder = os.path.dirname(config)
    with open(config, "rb") as f:
        text = f.read()
    files = {os.path.join("config", os.path.basename(config)): text}
    for relative in _config_paths(text, (("input", "parents"), ("names", "table"))):
        with open(os.path.join(folder, relative), "rb") as f:
            files[os.path.join("config", relative)] = f.read()
    return files


def _config_paths(text, keys):
    """The paths of the config (TOML bytes) at `keys` (section, key) that lie in its folder, each once, relative."""
    import tomllib
    tables, paths = tomllib.loads(text.decode("utf-8")), []
    for section, key in keys:
        value = tables.get(section, {}).get(key)
        if isinstance(value, str) and not os.path.isabs(value):
            relative = os.path.normpath(value)
            if not relative.startswith("..") and relative not in paths:
                paths.append(relative)
    return paths


def _table_urls(config, data):
    """The tables `split` reads (the indicator table, those of [trends] and [quarters]) as relative path under
    `config/` → their URL under `data`, the folder URL that holds them as the config names them."""
    with open(config, "rb") as f:
        text = f.read()
    paths = _config_paths(text, (("input", "table"), ("trends", "table"), ("quarters", "table")))
    return {os.path.join("config", p): data.rstrip("/") + "/" + p.replace(os.sep, "/") for p in paths}


def _measured(argv):
    """Runs `argv` and returns its exit status, stdout, stderr and peak RSS in bytes. The peak is the program's own
    high-water mark (`VmHWM` in /proc, read every 20 ms while it runs, once it is the program and no longer the fork
    of this one; a run shorter than that reads as 0): getrusage's maxrss of a child would include the RSS of this
    Python process, which Linux carries into the child at fork and exec."""
    name = os.path.basename(argv[0])[:15]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err)
        peak = 0
        while True:
            try:
                with open(f"/proc/{process.pid}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
                if fields.get("Name", "").strip() == name and "VmHWM" in fields:
                    peak = max(peak, int(fields["VmHWM"].split()[0]) * 1024)
            except (OSError, ValueError):
                pass
            try:
                process.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                pass
        out.seek(0), err.seek(0)
        return process.returncode, out.read().decode(), err.read().decode(), peak


def _local(sozmon, arguments, what, peaks):
    """One call of the sozmon binary on the client; its peak RSS is recorded in `peaks[what]`."""
    status, stdout, stderr, peak = _measured([sozmon, *arguments])
    peaks[what] = max(peaks.get(what, 0), peak)
    if status != 0:
        raise PartFailed(f"{what}: sozmon {' '.join(arguments[:2])} failed with status {status}: {(stderr or stdout).strip()}")
    return stdout


def run(config, parts, out, scheduler=None, local=None, sozmon="sozmon", work=None, retries=2, data=None):
    """Runs the edition of `config` in `parts` parts on a Dask cluster (`scheduler` address, or a LocalCluster of
    `local` workers) and writes the report folder `out`. With `data` (the URL of a folder: http(s):// or any fsspec
    URL), the workers read the config's tables there, as the config names them, and split them; without it, the
    client splits its own files. Returns the number of parts (fewer than asked where there are fewer top-level units:
    a unit is never cut) and the timings: wall time per phase, the time the sozmon processes took on the workers, each
    worker's largest sozmon process and the client's peak memory (its Python process and each of its sozmon calls)."""
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
    phases, tasks, client_peaks = {}, [], {}
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
            """One task per part (Dask's retries); each returns its outputs as bytes, which are written here under
            `work` as they come, one part's at a time."""
            futures = []
            for k, p in enumerate(names):
                arguments, trees, outputs = build(k, p)
                futures.append(client.submit(sozmon_task, sozmon, arguments, p, [*shared, *trees], outputs,
                                             key=f"{name}-{k:04d}", pure=False, retries=retries))
            for future in futures:
                result = future.result()
                _write_tree(work, result.pop("files"))
                result.pop("stdout")
                tasks.append({**result, "phase": name})
                future.release()

        folder = os.path.join(work, "parts")
        task_config = os.path.join("{here}", "config", os.path.basename(config))
        stem = lambda p: p[:-len(".csv")]
        config_files = client.scatter([_config_files(config)], broadcast=True)
        if data:
            # The split on a worker, which reads the tables at `data`; the parts stay on the workers (a task picks
            # each part's files from the split's result), and only the split's records come here.
            split = client.submit(sozmon_task, sozmon, ["part", "split", task_config, "--parts", str(parts), "--tables-only",
                                                       "--out", os.path.join("{here}", "parts")], "split", config_files,
                                  ["parts"], _table_urls(config, data), key="split", pure=False, retries=retries)
            result = timed("split", lambda: client.submit(_records, split, key="split-records", pure=False).result())
            tasks.append({**{k: v for k, v in result.items() if k not in ("files", "stdout")}, "phase": "split"})
            names = result["stdout"].split()
            split_files = result["files"]
            part_trees = {p: client.submit(_pick, split, os.path.join("parts", stem(p) + "."), key=f"pick-{stem(p)}", pure=False)
                          for p in names}
        else:
            names = timed("split", lambda: _local(sozmon, ["part", "split", config, "--parts", str(parts), "--out", folder],
                                                  "split", client_peaks).split())
            split_files = {os.path.join("parts", n): _read(os.path.join(folder, n))
                           for n in os.listdir(folder) if not n.startswith("part-")}
            # Each part's files go to the cluster once (the client keeps none of them).
            part_trees = {p: client.scatter([{os.path.join("parts", n): _read(os.path.join(folder, n))
                                               for n in os.listdir(folder) if n.startswith(stem(p) + ".")}])[0]
                          for p in names}
        _write_tree(work, split_files)
        # What every task needs (the config, the split's records) goes to every worker once.
        # (Scattered as one value in a list: a dict would be scattered value by value, keyed by its file names.)
        shared = [*config_files, *client.scatter([split_files], broadcast=True)]

        def stats(moments, out):
            return lambda k, p: (["part", "stats", task_config, "--part", os.path.join("{here}", "parts", p)]
                                 + (["--moments", os.path.join("{here}", "moments.json")] if moments else [])
                                 + ["--out", os.path.join("{here}", out, stem(p) + ".json")],
                                 [part_trees[p], {"moments.json": _read(moments)} if moments else {}],
                                 [os.path.join(out, stem(p) + ".json")])

        timed("stats1", lambda: each_part("stats1", stats(None, "stats1")))
        moments1 = os.path.join(work, "moments1.json")
        timed("merge1", lambda: _local(sozmon, ["part", "merge", *[os.path.join(work, "stats1", stem(p) + ".json")
                                                                   for p in names], "--out", moments1], "merge", client_peaks))
        timed("stats2", lambda: each_part("stats2", stats(moments1, "stats2")))
        moments2 = os.path.join(work, "moments2.json")
        timed("merge2", lambda: _local(sozmon, ["part", "merge", *[os.path.join(work, "stats2", stem(p) + ".json")
                                                                   for p in names], "--out", moments2], "merge", client_peaks))
        timed("apply", lambda: each_part("apply", lambda k, p: (
            ["part", "apply", task_config, "--part", os.path.join("{here}", "parts", p),
             "--moments", os.path.join("{here}", "moments.json"), "--out", os.path.join("{here}", "out", stem(p))],
            [part_trees[p], {"moments.json": _read(moments2)}], [os.path.join("out", stem(p))])))
        del part_trees  # the parts are no longer needed on the cluster
        finish = ["--split", folder]
        with open(os.path.join(work, "out", stem(names[0]), "part.json"), encoding="utf-8") as f:
            spatial = "values.csv" in json.load(f)["files"]  # apply wrote the part's [spatial] values
        if spatial:
            # [spatial]: all values in the table's order and each part's weights with its halo (gather, here), then
            # each part's local statistics and Moran sums (tasks, each given the values and its own weights);
            # finish merges them.
            gathered = os.path.join(work, "gathered")
            timed("gather", lambda: _local(sozmon, ["part", "gather", config, *[os.path.join(work, "out", stem(p)) for p in names],
                                                    "--order", os.path.join(folder, "order.csv"), "--out", gathered], "gather", client_peaks))
            common = client.scatter([{os.path.join("gathered", n): _read(os.path.join(gathered, n)) for n in os.listdir(gathered)
                                      if not n.endswith(".weights.csv")}], broadcast=True)[0]

            def spatial_task(k, p):
                weights = f"part-{k + 1:04d}.weights.csv"
                return (["part", "spatial", task_config, "--gathered", os.path.join("{here}", "gathered"),
                         "--part", str(k + 1), "--out", os.path.join("{here}", "spatial", stem(p))],
                        [common, {os.path.join("gathered", weights): _read(os.path.join(gathered, weights))}],
                        [os.path.join("spatial", stem(p))])

            timed("spatial", lambda: each_part("spatial", spatial_task))
            finish += ["--gathered", gathered] + [a for p in names for a in ("--spatial", os.path.join(work, "spatial", stem(p)))]
        timed("finish", lambda: _local(sozmon, ["part", "finish", config, *[os.path.join(work, "out", stem(p)) for p in names],
                                                "--moments", moments2, *finish, "--out", out], "finish", client_peaks))
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
            "worker_peak_rss_bytes": sorted(workers.values(), reverse=True),
            "client_peak_rss_bytes": {"python": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                                      **{f"sozmon part {verb}": peak for verb, peak in client_peaks.items()}}}
