"""The driver's own helpers, without a cluster: where a report may go, how it is put there, which files of the config
the workers are sent or fetch. Run by scripts/dask-test (python -m unittest discover integrations/dask/tests)."""
import os
import tempfile
import unittest

from sozmon_dask.driver import PartFailed, _check_destination, _config_files, _config_paths, _gathered, _publish, _urls


class Destination(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()

    def write_report(self, staging):
        os.makedirs(os.path.join(staging, "tables"))
        with open(os.path.join(staging, "tables", "areas.csv"), "w") as f:
            f.write("area_id\n01\n")

    def test_absent_or_empty_is_taken(self):
        for name, make in (("absent", False), ("empty", True)):
            out = os.path.join(self.root, name)
            if make:
                os.mkdir(out)
            _check_destination(out)
            _publish(out, self.write_report)
            self.assertEqual(os.listdir(out), ["tables"])
        self.assertEqual(sorted(os.listdir(self.root)), ["absent", "empty"])  # no staging folder left

    def test_refused_before_any_work(self):
        full = os.path.join(self.root, "full")
        os.mkdir(full)
        open(os.path.join(full, "mine.txt"), "w").close()
        link = os.path.join(self.root, "link")
        os.symlink(self.root, link)
        afile = os.path.join(self.root, "file")
        open(afile, "w").close()
        for out, expected in ((full, "not empty"), (link, "symbolic link"), (afile, "is a file"),
                              (os.path.join(self.root, "no", "such"), "does not exist")):
            with self.assertRaises(PartFailed) as caught:
                _check_destination(out)
            self.assertIn(expected, str(caught.exception))

    def test_a_folder_filled_meanwhile_is_left_as_it_is(self):
        out = os.path.join(self.root, "report")
        os.mkdir(out)

        def write(staging):  # while the report is written, someone puts a file into the folder
            self.write_report(staging)
            with open(os.path.join(out, "theirs.txt"), "w") as f:
                f.write("keep me")

        with self.assertRaises(PartFailed) as caught:
            _publish(out, write)
        self.assertIn("was filled while the run was going", str(caught.exception))
        self.assertEqual(os.listdir(out), ["theirs.txt"])
        self.assertEqual(os.listdir(self.root), ["report"])

    def test_a_failure_or_interruption_leaves_nothing(self):
        out = os.path.join(self.root, "report")
        for error in (OSError("no space left on device"), KeyboardInterrupt()):
            def write(staging):
                self.write_report(staging)
                raise error
            with self.assertRaises(type(error)):
                _publish(out, write)
            self.assertEqual(os.listdir(self.root), [])


class ConfigFiles(unittest.TestCase):
    def test_paths_inside_the_config_folder_once(self):
        text = b'[input]\ntable = "a.csv"\ngeometry = "../elsewhere/map.geojson"\n[trends]\ntable = "./a.csv"\n' \
               b'[quarters]\ntable = "sub/q.csv"\n'
        self.assertEqual(_config_paths(text, (("input", "table"), ("trends", "table"), ("quarters", "table"),
                                              ("input", "geometry"))), ["a.csv", "sub/q.csv"])
        self.assertEqual(_urls(text, "s3://bucket/city/", (("input", "table"), ("quarters", "table"))),
                         {"config/a.csv": "s3://bucket/city/a.csv", "config/sub/q.csv": "s3://bucket/city/sub/q.csv"})

    def test_data_needs_paths_inside_the_config_folder(self):
        for path in ("/srv/city/a.csv", "../other/a.csv"):
            with self.assertRaises(PartFailed) as caught:
                _urls(f'[input]\ntable = "{path}"\n'.encode(), "https://example.org/city", (("input", "table"),))
            self.assertIn(f'input.table = "{path}": with --data', str(caught.exception))

    def test_a_missing_file_the_config_names_is_said(self):
        folder = tempfile.mkdtemp()
        config = os.path.join(folder, "index.toml")
        with open(config, "w") as f:
            f.write('[input]\ntable = "a.csv"\nparents = "eltern.csv"\n')
        with self.assertRaises(PartFailed) as caught:
            _config_files(config)
        self.assertIn("eltern.csv: named by the config, cannot be read (No such file or directory)", str(caught.exception))
        open(os.path.join(folder, "eltern.csv"), "w").close()
        self.assertEqual(sorted(_config_files(config)), ["config/eltern.csv", "config/index.toml"])

    def test_a_config_that_is_not_toml_is_left_to_sozmon(self):
        self.assertEqual(_config_paths(b'[input\ntable = "a.csv"', (("input", "table"),)), [])
        self.assertEqual(_urls(b"\xff\xfe", "https://example.org/", (("input", "table"),)), {})

    def test_each_spatial_task_gets_its_own_weights(self):
        result = {"files": {"gathered/values.csv": b"v", "gathered/part-0001.weights.csv": b"w1",
                            "gathered/part-0002.weights.csv": b"w2", "gathered/task.json": b"t"}}
        self.assertEqual(sorted(_gathered(result, 2)), ["gathered/part-0002.weights.csv", "gathered/task.json",
                                                        "gathered/values.csv"])
        self.assertEqual(sorted(_gathered(result, None)), ["gathered/task.json", "gathered/values.csv"])


if __name__ == "__main__":
    unittest.main()
