using System.Text;

namespace AgentCluster.Client.Cli;

/// <summary>
/// What a run reads from outside its arguments, passed in so that tests can run the CLI
/// in-process without touching the real environment, working directory, stdin or network.
/// </summary>
internal sealed record CliEnvironment(Func<string, string?> GetVariable, string WorkingDirectory)
{
    /// <summary>Replaces the socket handler of every connection; null means the real network.</summary>
    public Func<HttpMessageHandler>? HttpHandler { get; init; }

    /// <summary>Whether stderr is a terminal, where a slow call may show a progress line.</summary>
    public bool StderrIsTerminal { get; init; }

    /// <summary>
    /// Opens stdin, for the one command that reads it (<c>secrets put --value-from-stdin</c>); the caller disposes
    /// the reader. Invalid UTF-8 throws rather than being replaced, so a secret is never silently changed.
    /// </summary>
    public Func<TextReader> OpenStdin { get; init; } = () => TextReader.Null;

    /// <summary>Whether stdin is a terminal, where a typed secret would be echoed on the screen.</summary>
    public bool StdinIsTerminal { get; init; }

    public static CliEnvironment FromProcess() =>
        new(Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory())
        {
            StderrIsTerminal = !Console.IsErrorRedirected,
            StdinIsTerminal = !Console.IsInputRedirected,
            OpenStdin = () => StrictUtf8Reader(Console.OpenStandardInput()),
        };

    /// <summary>UTF-8 (a BOM is skipped) that throws on invalid bytes instead of replacing them.</summary>
    public static TextReader StrictUtf8Reader(Stream stream) =>
        new StreamReader(
            stream,
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: true);
}
