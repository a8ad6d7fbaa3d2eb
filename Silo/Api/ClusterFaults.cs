using Grpc.Core;

namespace AgentCluster.Silo.Api;

/// <summary>
/// Which failures mean "the cluster cannot answer right now" (a silo just died and the
/// membership has not caught up): callers should retry, not treat it as a bug or a bad key.
/// </summary>
internal static class ClusterFaults
{
    public const string RetryMessage = "the cluster is recovering from a lost node; retry shortly";

    public static bool IsTransient(Exception e) => e switch
    {
        OrleansMessageRejectionException or SiloUnavailableException or TimeoutException => true,
        AggregateException { InnerExceptions: var inner } => inner.All(IsTransient),
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>
    /// Authentication runs before gRPC's own error handling, so a transient fault there would
    /// surface as a bare HTTP 500; answer it as gRPC Unavailable (or HTTP 503) instead.
    /// </summary>
    public static IApplicationBuilder UseClusterFaultTranslation(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (IsTransient(e) && !context.Response.HasStarted)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClusterFaults))
                    .LogWarning("Request {Path} hit a cluster fault: {Reason}", context.Request.Path, e.Message);
                context.Response.Clear();
                if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
                {
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "application/grpc";
                    context.Response.Headers["grpc-status"] = ((int)StatusCode.Unavailable).ToString();
                    context.Response.Headers["grpc-message"] = Uri.EscapeDataString(RetryMessage);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync(RetryMessage);
            }
        });
}
