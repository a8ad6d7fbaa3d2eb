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

    public void Dispose() => _dir.Dispose();

    private CliEnvironment Environment(string? variable = null) => CliRun.Environment(
        _dir.Path,
        variable is null ? null : new Dictionary<string, string> { [ApiKeySource.EnvironmentVariable] = variable });
}
