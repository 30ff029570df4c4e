import Foundation

/// The one check of an input path before it is read, so that every reader says the same thing about it: missing,
/// a folder where a file is expected, not a regular file, or not readable — naming the path as the user gave it
/// (exit status 66).
public enum InputFile {
    /// Opens `url` for reading.
    /// - Parameter what: what the file is for the message, e.g. "the config file" or "the file".
    /// - Throws: `InputError(.missingFile)` saying which of the three it is.
    public static func open(_ url: URL, what: String = "the file") throws(InputError) -> FileHandle {
        let path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError(.missingFile, file: path, message: "\(what) does not exist")
        }
        guard !isFolder.boolValue else {
            throw InputError(.missingFile, file: path, message: "is a folder; \(what) is expected here")
        }
        // A named pipe, a device or a socket cannot be read more than once, nor fingerprinted: a regular file only.
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw InputError(.missingFile, file: path, message: "is not a regular file (a named pipe, device or socket); "
                             + "\(what) is expected here — save it as a file first")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = access(path, R_OK) == 0 ? "it cannot be opened" : "permission denied"
            throw InputError(.missingFile, file: path, message: "\(what) cannot be read (\(reason))")
        }
        return handle
    }
}
