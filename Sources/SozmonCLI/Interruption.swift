import Dispatch
import Foundation
import Sozmon

/// SIGINT and SIGTERM during a run: the partial output folder is removed and the process exits with 128 + the
/// signal number (130, 143), so that an interrupted run leaves nothing behind.
enum Interruption {
    /// The installed sources (kept alive for the life of the process).
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        for signal in [SIGINT, SIGTERM] {
            Foundation.signal(signal, SIG_IGN)  // delivered to the source below instead of killing the process
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                RunJob.discardPartialOutputs()
                FileHandle.standardError.write(Data("sozmon: interrupted; the partial output was removed\n".utf8))
                exit(128 + signal)
            }
            source.resume()
            sources.append(source)
        }
    }
}
