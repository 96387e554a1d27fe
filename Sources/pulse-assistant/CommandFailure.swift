/// A failure while a command runs (a store that cannot be opened, a file that cannot be read), said
/// plainly: ArgumentParser prints `Error: ` and the message, and exits 1.
///
/// Not a `ValidationError`: that one means the command line is wrong, and prints the usage banner
/// and exits 64, which told an operator to fix flags that were fine.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
