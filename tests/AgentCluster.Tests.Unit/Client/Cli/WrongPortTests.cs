using System.Net;
using AgentCluster.Api;

namespace AgentCluster.Tests.Unit.Client.Cli;

/// <summary>
/// A gRPC call to a port that speaks HTTP/1.1 only (the admin port) says that this is not the API and
/// which port is, as the admin port's own answer names it; the HTTP/2 error itself is not shown.
/// </summary>
public sealed class WrongPortTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task The_admin_port_is_named_as_not_the_api_with_the_port_that_is()
    {
        var run = await Run(apiPort: "5080");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal(
            "agentctl: http://127.0.0.1:5081 is not the gRPC API: it speaks HTTP/1.1 only, like the admin port (console, dashboard, /healthz). "
            + "This node's API is http://127.0.0.1:5080: use --endpoint http://127.0.0.1:5080.",
            Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task Without_the_port_named_it_says_where_the_api_port_is_set()
    {
        var run = await Run(apiPort: null);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.EndsWith("The API is on the port of AgentCluster:Ports:Api (http://127.0.0.1:5080 by default).", line, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP_1_1_REQUIRED", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_that_closes_before_the_http2_handshake_is_named_the_same_way()
    {
        var run = await Run(apiPort: "5080", beforeHandshake: true);

        Assert.Equal(2, run.ExitCode);
        Assert.EndsWith("This node's API is http://127.0.0.1:5080: use --endpoint http://127.0.0.1:5080.", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_protocol_failure_where_nothing_answers_http11_either_keeps_its_own_message()
    {
        var run = await CliRun.RunAsync(CliRun.Environment(_dir.Path, handler: () => new Http11Only(null, false, answersHttp11: false)),
            "--endpoint", "http://127.0.0.1:5081", "tenants", "list");

        Assert.NotEqual(2, run.ExitCode);
        Assert.DoesNotContain("is not the gRPC API", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Run(string? apiPort, bool beforeHandshake = false)
    {
        var environment = CliRun.Environment(_dir.Path, handler: () => new Http11Only(apiPort, beforeHandshake));
        return CliRun.RunAsync(environment, "--endpoint", "http://127.0.0.1:5081", "tenants", "list");
    }

    /// <summary>
    /// What Kestrel's HTTP/1.1-only port does: refuses HTTP/2 (a gRPC call) with HTTP_1_1_REQUIRED, or closes
    /// before the client saw the HTTP/2 handshake, and answers an HTTP/1.1 GET.
    /// </summary>
    private sealed class Http11Only(string? apiPort, bool beforeHandshake, bool answersHttp11 = true) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Version.Major == 2)
            {
                throw beforeHandshake
                    ? new HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.")
                    : new HttpRequestException("The HTTP/2 server closed the connection.",
                        new HttpProtocolException(0xd, "HTTP/2 error code 'HTTP_1_1_REQUIRED' (0xd).", null));
            }
            if (!answersHttp11)
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset by peer");
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            if (apiPort is not null)
                response.Headers.Add(AdminPort.ApiPortHeader, apiPort);
            return Task.FromResult(response);
        }
    }
}
