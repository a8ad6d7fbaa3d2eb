using System.Globalization;
using AgentCluster.Api;
using AgentCluster.Client.Errors;
using Grpc.Core;

namespace AgentCluster.Client.Cli;

/// <summary>
/// An endpoint that answers HTTP/1.1 only is not the gRPC API (it is most likely the admin port): say so,
/// and which port is, as the admin port's own answers name it.
/// </summary>
internal static class WrongPort
{
    // HTTP/2's HTTP_1_1_REQUIRED: what Kestrel sends a prior-knowledge HTTP/2 client on an HTTP/1.1 port.
    private const long Http11Required = 0xd;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static bool Is(Exception e) =>
        e is RpcException { Status.DebugException: { } cause } && Chain(cause).Any(x => x is HttpProtocolException { ErrorCode: Http11Required });

    public static async Task<Failure> ExplainAsync(Uri endpoint, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var port = await ApiPortAsync(endpoint, environment, cancellationToken);
        var api = port is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{endpoint.Scheme}://{endpoint.Host}:{p}")
            : null;
        return new Failure(ExitCodes.Usage,
            $"{EndpointSource.Describe(endpoint)} is not the gRPC API: it speaks HTTP/1.1 only, like the admin port (console, dashboard, /healthz). "
            + (api is null
                ? $"The API is on the port of AgentCluster:Ports:Api ({EndpointSource.Default} by default)."
                : $"This node's API is {api}: use --endpoint {api}."));
    }

    /// <summary>The API port the admin port names, or null when it names none or does not answer in time.</summary>
    private static async Task<int?> ApiPortAsync(Uri endpoint, CliEnvironment environment, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var http = new HttpClient(environment.HttpHandler?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true);
            using var response = await http.GetAsync(new Uri(endpoint, "/healthz"), timeout.Token);
            return response.Headers.TryGetValues(AdminPort.ApiPortHeader, out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                ? port
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e;
    }
}
