import Foundation

/// An output folder that appears complete or not at all: everything is written into a hidden sibling folder, which
/// is renamed to the final name only when `commit()` is called. A run that fails (or is interrupted) before that
/// leaves the final name untouched; `discard()` removes the partial folder.
public struct AtomicFolder: Sendable {
    /// The folder the results will have when committed.
    public let destination: URL
    /// Where files are written until then.
    public let staging: URL

    /// Prepares a staging folder beside `destination`.
    /// - Throws: `OutputError` when `destination` exists and is not an empty folder (nothing is overwritten), or
    ///   the staging folder cannot be created.
    public init(_ destination: URL) throws(OutputError) {
        let fm = FileManager.default
        self.destination = destination.standardizedFileURL
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: self.destination.path, isDirectory: &isDirectory) {
            let contents = (try? fm.contentsOfDirectory(atPath: self.destination.path)) ?? ["?"]
            guard isDirectory.boolValue, contents.isEmpty else {
                throw OutputError(path: self.destination.path,
                                  message: "already exists; choose another output folder or remove it")
            }
        }
        let parent = self.destination.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".\(self.destination.lastPathComponent).partial-\(getpid())")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: staging.path, message: "cannot create the output folder (\(error.localizedDescription))")
        }
    }

    /// The staging path of `relativePath`, with its folders created.
    public func url(_ relativePath: String) throws(OutputError) -> URL {
        let url = staging.appendingPathComponent(relativePath)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: url.path, message: "cannot create the folder")
        }
        return url
    }

    /// Writes `text` to `relativePath`.
    public func write(_ text: String, to relativePath: String) throws(OutputError) {
        let target = try url(relativePath)
        do { try Data(text.utf8).write(to: target) } catch {
            throw OutputError(path: target.path, message: "cannot write (\(error.localizedDescription))")
        }
    }

    /// Opens `relativePath` for streaming writes; the caller closes the handle.
    public func create(_ relativePath: String) throws(OutputError) -> FileHandle {
        let target = try url(relativePath)
        guard FileManager.default.createFile(atPath: target.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: target.path) else {
            throw OutputError(path: target.path, message: "cannot create the file")
        }
        return handle
    }

    /// Moves the complete folder to its final name.
    public func commit() throws(OutputError) {
        let fm = FileManager.default
        do {
            if fm.fileExists(atPath: destination.path) { try fm.removeItem(at: destination) }  // empty, checked above
            try fm.moveItem(at: staging, to: destination)
        } catch {
            throw OutputError(path: destination.path, message: "cannot move the finished output into place")
        }
    }

    /// Removes the partial folder (after a failure).
    public func discard() { try? FileManager.default.removeItem(at: staging) }
}

/// An output that cannot be created (exit status 73).
public struct OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}
