using AgentCluster.Client.Cli;

namespace AgentCluster.Tests.Unit.Client;

/// <summary>One in-process run of agentctl and everything it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    // Nothing listens on port 1, so a connection is refused at once.
    public const string Unreachable = "http://127.0.0.1:1";

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static async Task<CliRun> RunAsync(CliEnvironment environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await AgentCtl.RunAsync(args, stdout, stderr, environment, CancellationToken.None);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs against an in-memory server that answers every call with <paramref name="respond"/>.</summary>
    public static async Task<(CliRun Run, FakeGrpcServer Server)> AgainstAsync(
        string workingDirectory,
        Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond,
        params string[] args)
    {
        var server = new FakeGrpcServer(respond);
        var run = await RunAsync(Environment(workingDirectory, handler: () => server), args);
        return (run, server);
    }

    /// <summary>Runs against an in-memory server, with <paramref name="stdin"/> piped in.</summary>
    public static async Task<(CliRun Run, FakeGrpcServer Server)> AgainstWithStdinAsync(
        string workingDirectory,
        string stdin,
        Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond,
        params string[] args)
    {
        var server = new FakeGrpcServer(respond);
        var run = await RunAsync(Environment(workingDirectory, handler: () => server, stdin: stdin), args);
        return (run, server);
    }

    /// <summary>An environment of only what is given; stdin is empty unless <paramref name="stdin"/> says otherwise.</summary>
    public static CliEnvironment Environment(
        string workingDirectory,
        IReadOnlyDictionary<string, string>? variables = null,
        Func<HttpMessageHandler>? handler = null,
        string? stdin = null) =>
        new(name => variables is not null && variables.TryGetValue(name, out var value) ? value : null, workingDirectory)
        {
            HttpHandler = handler,
            OpenStdin = () => new StringReader(stdin ?? string.Empty),
        };
}
