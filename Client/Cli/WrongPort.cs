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
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// An HTTP/2 failure that is not about reaching the host: an HTTP/1.1-only port refuses a gRPC call with
    /// HTTP_1_1_REQUIRED, or closes before the HTTP/2 handshake (an error of no category), whichever the
    /// client reads first. The probe then tells.
    /// </summary>
    public static bool Suspect(Exception e) =>
        e is RpcException { Status.DebugException: { } cause }
        && Chain(cause).Any(x => x is HttpProtocolException
            or HttpRequestException { HttpRequestError: HttpRequestError.HttpProtocolError or HttpRequestError.Unknown });

    /// <summary>Null unless the endpoint answers HTTP/1.1: then it is not the API, and the failure says which port is.</summary>
    public static async Task<Failure?> ExplainAsync(Uri endpoint, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (await ProbeAsync(endpoint, environment, cancellationToken) is not { } answer)
            return null;
        var api = answer.ApiPort is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{endpoint.Scheme}://{endpoint.Host}:{p}")
            : null;
        return new Failure(ExitCodes.Usage,
            $"{EndpointSource.Describe(endpoint)} is not the gRPC API: it speaks HTTP/1.1 only, like the admin port (console, dashboard, /healthz). "
            + (api is null
                ? $"The API is on the port of AgentCluster:Ports:Api ({EndpointSource.Default} by default)."
                : $"This node's API is {api}: use --endpoint {api}."));
    }

    /// <summary>An HTTP/1.1 answer, with the API port it names if any; null when none comes in time.</summary>
    private static async Task<Answer?> ProbeAsync(Uri endpoint, CliEnvironment environment, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var http = new HttpClient(environment.HttpHandler?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true);
            using var response = await http.GetAsync(new Uri(endpoint, "/healthz"), timeout.Token);
            var port = response.Headers.TryGetValues(AdminPort.ApiPortHeader, out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                ? p
                : (int?)null;
            return new Answer(port);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private sealed record Answer(int? ApiPort);

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e;
    }
}
