namespace AgentCluster.Tests.Unit.Client.Cli;

public sealed class AgentCtlRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("cluster", "status")]
    [InlineData("tenants", "list")]
    [InlineData("tenants", "get", "acme")]
    [InlineData("keys", "list", "--tenant", "acme")]
    [InlineData("audit", "tail")]
    [InlineData("audit", "export")]
    [InlineData("audit", "verify")]
    [InlineData("audit", "head")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m")]
    [InlineData("session", "list")]
    [InlineData("hosts", "list")]
    public async Task An_unreachable_endpoint_exits_7_with_one_line(params string[] command)
    {
        var run = await Run([.. command, "--endpoint", CliRun.Unreachable]);

        Assert.Equal(7, run.ExitCode);
        Assert.Empty(run.Stdout);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"agentctl: cannot reach {CliRun.Unreachable} (", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_mode_prints_nothing_to_stdout_on_failure()
    {
        var run = await Run("--json", "cluster", "status", "--endpoint", CliRun.Unreachable);

        Assert.Equal(7, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Single(run.StderrLines);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("tenants")]
    [InlineData("tenants", "get")]
    [InlineData("tenants", "get", "a", "b")]
    [InlineData("tenants", "create", "acme", "--max-ttl", "1h30")]
    [InlineData("tenants", "create", "acme", "--max-ttl", "0s")]
    [InlineData("tenants", "create", "acme", "--max-sessions", "0")]
    [InlineData("tenants", "create", "acme", "--max-sessions", "many")]
    [InlineData("keys", "create", "--tenant", "acme")]
    [InlineData("keys", "create", "--tenant", "acme", "--role", "root")]
    [InlineData("keys", "list")]
    [InlineData("--endpoint", "ftp://x", "tenants", "list")]
    [InlineData("audit")]
    [InlineData("audit", "verify", "extra")]
    [InlineData("audit", "export", "--format", "csv")]
    [InlineData("audit", "tail", "--since", "yesterday")]
    public async Task Bad_command_lines_exit_2_with_one_line(params string[] args)
    {
        var run = await Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("agentctl: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_command_at_all_is_a_usage_error()
    {
        var run = await Run();

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("agentctl: Required command was not provided. See 'agentctl --help'.", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task A_bad_duration_names_the_option_and_the_value()
    {
        var run = await Run("tenants", "create", "acme", "--max-ttl", "soon");

        Assert.Contains("invalid duration 'soon' for --max-ttl", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_goes_to_stdout_and_exits_0()
    {
        var run = await Run("tenants", "create", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Contains("--max-ttl", run.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Run(params string[] args) => CliRun.RunAsync(CliRun.Environment(_dir.Path), args);
}
