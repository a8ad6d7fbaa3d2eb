using AgentCluster.Grains.Fleet;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class DockerEndpointTests
{
    [Fact]
    public void A_unix_socket_needs_an_absolute_path_and_no_tls()
    {
        var endpoint = DockerEndpoint.Parse("unix:///run/d1/docker.sock", null);
        Assert.True(endpoint.IsUnix);
        Assert.Equal("/run/d1/docker.sock", endpoint.Uri.AbsolutePath);
        Assert.Throws<ArgumentException>(() => DockerEndpoint.Parse("unix:///run/d1/docker.sock", "/etc/tls"));
        Assert.Throws<ArgumentException>(() => DockerEndpoint.Parse("unix://", null));
    }

    [Fact]
    public void Tcp_off_loopback_needs_a_tls_folder()
    {
        Assert.Equal("/etc/docker/tls", DockerEndpoint.Parse("tcp://docker-1.internal:2376", "/etc/docker/tls").TlsDir);
        var e = Assert.Throws<ArgumentException>(() => DockerEndpoint.Parse("tcp://docker-1.internal:2376", null));
        Assert.Contains("TLS", e.Message);
        Assert.Null(DockerEndpoint.Parse("tcp://127.0.0.1:2375", null).TlsDir);
        Assert.Null(DockerEndpoint.Parse("tcp://localhost:2375", " ").TlsDir);
    }

    [Theory]
    [InlineData("")]
    [InlineData("docker.sock")]
    [InlineData("http://127.0.0.1:2375")]
    [InlineData("npipe:////./pipe/docker_engine")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("tcp://127.0.0.1:2375/path")]
    public void Other_endpoints_are_refused(string endpoint) =>
        Assert.Throws<ArgumentException>(() => DockerEndpoint.Parse(endpoint, null));
}
