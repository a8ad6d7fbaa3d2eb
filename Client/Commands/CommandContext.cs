using System.CommandLine;
using AgentCluster.Client.Cli;
using AgentCluster.Client.Errors;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands;

/// <summary>What every command needs from the run: a connection built from the global options, stdout, and stderr for progress.</summary>
internal sealed class CommandContext(GlobalOptions options, CliEnvironment environment, TextWriter stdout, TextWriter stderr)
{
    private readonly List<string> _concealed = [];

    public CliEnvironment Environment => environment;

    public AgentClusterConnection Connect(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var endpoint = EndpointSource.Resolve(result.GetValue(options.Endpoint), environment);
        var apiKey = ApiKeySource.Resolve(result.GetValue(options.ApiKey), environment);
        if (apiKey is not null && !ApiKeyFormat.IsSendable(apiKey))
        {
            throw new UsageException("the API key contains characters that cannot be sent in a header");
        }

        return AgentClusterConnection.Open(new AgentClusterConnectionOptions
        {
            Endpoint = endpoint,
            ApiKey = apiKey,
            HttpHandler = environment.HttpHandler?.Invoke(),
        });
    }

    public CommandOutput Output(ParseResult result) => new(stdout, result.GetValue(options.Json));

    /// <summary>A word to the person on stderr about a run that worked (stdout stays the result, for scripts).</summary>
    public Task NoteAsync(string text) => stderr.WriteLineAsync("agentctl: note: " + text);

    /// <summary>A progress line for a slow call: only for people (no <c>--json</c>) and only when stderr is a terminal.</summary>
    public ProgressLine Progress(ParseResult result, string message) =>
        ProgressLine.Start(stderr, environment.StderrIsTerminal && !result.GetValue(options.Json), message);

    public string DescribeEndpoint(ParseResult result) =>
        EndpointSource.Describe(RawTokens(result, options.Endpoint).LastOrDefault(), environment);

    /// <summary>The endpoint this run called; only asked once a call was made, so it resolves.</summary>
    public Uri Endpoint(ParseResult result) => EndpointSource.Resolve(RawTokens(result, options.Endpoint).LastOrDefault(), environment);

    /// <summary>Where the key sent came from, or where none was found: what an Unauthenticated answer points at.</summary>
    public ApiKeyOrigin DescribeApiKey(ParseResult result) =>
        ApiKeySource.Describe(RawTokens(result, options.ApiKey).LastOrDefault(), environment);

    /// <summary>Every key this run might hold, read without binding, so it also works on a line that failed to parse.</summary>
    public IEnumerable<string> KnownApiKeys(ParseResult result) =>
        RawTokens(result, options.ApiKey).Concat(ApiKeySource.Candidates(null, environment));

    /// <summary>
    /// A secret this run holds besides the API key (a value read from stdin): from now on the error line is masked
    /// for it too, whatever echoes it.
    /// </summary>
    public void Conceal(string secret) => _concealed.Add(secret);

    /// <summary>Everything the error line must not show: the keys this run might hold, the concealed values, and what <paramref name="result"/>'s command says it must not echo.</summary>
    public IEnumerable<string> Secrets(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var fromCommand = result.CommandResult.Command is IConcealsTokens command ? command.TokensToConceal(result) : [];
        return KnownApiKeys(result).Concat(_concealed).Concat(fromCommand);
    }

    private static IEnumerable<string> RawTokens(ParseResult result, Option option) =>
        result.GetResult(option)?.Tokens.Select(t => t.Value) ?? [];
}
