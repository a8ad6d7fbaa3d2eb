using AgentCluster.Client.Cli;
using AgentCluster.Client.Errors;

namespace AgentCluster.Tests.Unit.Client.Cli;

public sealed class EndpointSourceTests
{
    private static readonly CliEnvironment FromEnvironment = CliRun.Environment(
        Path.GetTempPath(),
        new Dictionary<string, string> { [EndpointSource.EnvironmentVariable] = "http://env:1" });

    private static readonly CliEnvironment Empty = CliRun.Environment(Path.GetTempPath());

    [Fact]
    public void The_option_wins_then_the_environment_then_the_default()
    {
        Assert.Equal(new Uri("https://opt:2"), EndpointSource.Resolve("https://opt:2", FromEnvironment));
        Assert.Equal(new Uri("http://env:1"), EndpointSource.Resolve(null, FromEnvironment));
        Assert.Equal(new Uri("http://127.0.0.1:5080"), EndpointSource.Resolve(null, Empty));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://host:21")]
    [InlineData("127.0.0.1:5080")]
    public void Anything_but_an_http_address_is_a_usage_error(string endpoint)
    {
        Assert.Throws<UsageException>(() => EndpointSource.Resolve(endpoint, Empty));
    }

    [Fact]
    public void Credentials_in_the_url_are_refused_without_being_echoed()
    {
        var e = Assert.Throws<UsageException>(() => EndpointSource.Resolve("http://user:hunter2@host:1", Empty));

        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Described_without_a_trailing_slash()
    {
        Assert.Equal("http://127.0.0.1:5080", EndpointSource.Describe(new Uri("http://127.0.0.1:5080")));
    }
}
