namespace AgentCluster.Client.Cli;

/// <summary>
/// Which key to send: <c>--api-key</c>, then <c>AGENTCLUSTER_API_KEY</c>, then <c>./data/admin.key</c>
/// (the key a single-node silo writes for its first admin). The first non-blank one wins, trimmed.
/// </summary>
internal static class ApiKeySource
{
    public const string EnvironmentVariable = "AGENTCLUSTER_API_KEY";

    public static readonly string RelativeFilePath = Path.Combine("data", "admin.key");

    public static string? Resolve(string? option, CliEnvironment environment) =>
        Candidates(option, environment).FirstOrDefault();

    /// <summary>Every key this run could have used, in priority order; lazy, so the file is read only when needed.</summary>
    public static IEnumerable<string> Candidates(string? option, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (NonBlank(option) is { } fromOption)
        {
            yield return fromOption;
        }

        if (NonBlank(environment.GetVariable(EnvironmentVariable)) is { } fromEnvironment)
        {
            yield return fromEnvironment;
        }

        if (NonBlank(ReadFile(environment)) is { } fromFile)
        {
            yield return fromFile;
        }
    }

    /// <summary>
    /// Where the key this run sends came from, or, with none found, every place that was looked at, for an
    /// Unauthenticated answer to point at.
    /// </summary>
    public static ApiKeyOrigin Describe(string? option, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var file = Path.GetFullPath(Path.Combine(environment.WorkingDirectory, RelativeFilePath));
        if (NonBlank(option) is not null)
            return new(true, "the key given with --api-key");
        if (NonBlank(environment.GetVariable(EnvironmentVariable)) is not null)
            return new(true, $"the key in {EnvironmentVariable}");
        if (NonBlank(ReadFile(environment)) is not null)
            return new(true, $"the key in {file}");
        var fileState = File.Exists(file) ? "is empty or unreadable" : "does not exist";
        return new(false, $"no API key was found: no --api-key, {EnvironmentVariable} is not set, and {file} {fileState} "
            + "(agentctl reads ./data/admin.key from the folder it runs in: run it where ./build.sh run wrote data/, or pass --api-key)");
    }

    private static string? ReadFile(CliEnvironment environment)
    {
        try
        {
            return File.ReadAllText(Path.Combine(environment.WorkingDirectory, RelativeFilePath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // "When readable": a missing or locked file just means no key from there.
            return null;
        }
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Whether a key was found, and where it came from or where it was looked for.</summary>
internal sealed record ApiKeyOrigin(bool Found, string Description);
