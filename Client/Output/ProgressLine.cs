namespace AgentCluster.Client.Output;

/// <summary>
/// A status line on a terminal's stderr while a slow call runs (<c>creating session …</c>), erased when it ends,
/// so that afterwards stderr shows only what the run reports. Nothing at all when stderr is not a terminal.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    // Back to the start of the line, then erase to its end.
    private const string Erase = "\r\u001b[K";

    private readonly TextWriter? _terminal;

    private ProgressLine(TextWriter? terminal, string message)
    {
        _terminal = terminal;
        _terminal?.Write("agentctl: " + message);
        _terminal?.Flush();
    }

    public static ProgressLine Start(TextWriter stderr, bool show, string message) => new(show ? stderr : null, message);

    public void Dispose()
    {
        _terminal?.Write(Erase);
        _terminal?.Flush();
    }
}
