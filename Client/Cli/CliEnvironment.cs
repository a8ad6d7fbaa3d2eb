namespace AgentCluster.Client.Cli;

/// <summary>
/// What a run reads from outside its arguments, passed in so that tests can run the CLI
/// in-process without touching the real environment, working directory or network.
/// </summary>
internal sealed record CliEnvironment(Func<string, string?> GetVariable, string WorkingDirectory)
{
    /// <summary>Replaces the socket handler of every connection; null means the real network.</summary>
    public Func<HttpMessageHandler>? HttpHandler { get; init; }

    /// <summary>Whether stderr is a terminal, where a slow call may show a progress line.</summary>
    public bool StderrIsTerminal { get; init; }

    public static CliEnvironment FromProcess() =>
        new(Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory())
        {
            StderrIsTerminal = !Console.IsErrorRedirected,
        };
}
