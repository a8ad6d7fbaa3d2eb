using AgentCluster.Client.Cli;

namespace AgentCluster.Tests.Unit.Client.Cli;

public sealed class ApiKeySourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void The_option_wins_over_environment_and_file()
    {
        _dir.WriteAdminKey("from-file");

        Assert.Equal("from-option", ApiKeySource.Resolve("from-option", Environment(variable: "from-env")));
    }

    [Fact]
    public void The_environment_wins_over_the_file()
    {
        _dir.WriteAdminKey("from-file");

        Assert.Equal("from-env", ApiKeySource.Resolve(null, Environment(variable: "from-env")));
    }

    [Fact]
    public void The_file_is_read_from_the_working_directory_and_trimmed()
    {
        _dir.WriteAdminKey("  from-file\n");

        Assert.Equal("from-file", ApiKeySource.Resolve(null, Environment()));
    }

    [Fact]
    public void Blank_values_fall_through_to_the_next_source()
    {
        _dir.WriteAdminKey("from-file");

        Assert.Equal("from-file", ApiKeySource.Resolve("  ", Environment(variable: "")));
    }

    [Fact]
    public void No_key_anywhere_means_none()
    {
        Assert.Null(ApiKeySource.Resolve(null, Environment()));
    }

    [Fact]
    public void An_unreadable_file_means_none()
    {
        // A directory where the file should be: reading it fails the way a locked file does.
        Directory.CreateDirectory(Path.Combine(_dir.Path, "data", "admin.key"));

        Assert.Null(ApiKeySource.Resolve(null, Environment()));
    }

    [Fact]
    public async Task Without_any_key_an_unauthenticated_answer_says_every_place_that_was_looked_at()
    {
        var run = await Unauthenticated(Environment());

        Assert.Equal(3, run.ExitCode);
        var file = Path.Combine(_dir.Path, "data", "admin.key");
        Assert.Equal(
            $"agentctl: Unauthenticated: no API key was found: no --api-key, AGENTCLUSTER_API_KEY is not set, and {file} does not exist "
            + "(agentctl reads ./data/admin.key from the folder it runs in: run it where ./build.sh run wrote data/, or pass --api-key)",
            Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task An_empty_key_file_is_named_as_such()
    {
        _dir.WriteAdminKey("\n");

        var run = await Unauthenticated(Environment());

        Assert.Contains($"{Path.Combine(_dir.Path, "data", "admin.key")} is empty or unreadable", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file", "the key in {file}")]
    [InlineData("variable", "the key in AGENTCLUSTER_API_KEY")]
    public async Task A_refused_key_is_named_by_where_it_came_from(string source, string expected)
    {
        _dir.WriteAdminKey("agk_from_file");
        var run = await Unauthenticated(Environment(variable: source == "variable" ? "agk_from_env" : null));

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(
            $"agentctl: Unauthenticated: missing or invalid API key (sent {expected.Replace("{file}", Path.Combine(_dir.Path, "data", "admin.key"), StringComparison.Ordinal)})",
            Assert.Single(run.StderrLines));
    }

    public void Dispose() => _dir.Dispose();

    private static Task<CliRun> Unauthenticated(CliEnvironment environment)
    {
        var server = new FakeGrpcServer(_ => FakeGrpcServer.Reply.Error(Grpc.Core.StatusCode.Unauthenticated, "missing or invalid API key"));
        return CliRun.RunAsync(environment with { HttpHandler = () => server }, "tenants", "list");
    }

    private CliEnvironment Environment(string? variable = null) => CliRun.Environment(
        _dir.Path,
        variable is null ? null : new Dictionary<string, string> { [ApiKeySource.EnvironmentVariable] = variable });
}
