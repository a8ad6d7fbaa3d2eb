using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AgentCluster.Silo.Authentication;

/// <summary>
/// Turns a missing or bad key into a gRPC Unauthenticated status with a message, for every
/// service except the standard health check, which load balancers probe without a key.
/// </summary>
internal sealed class ApiKeyInterceptor : Interceptor
{
    private const string HealthService = "/grpc.health.v1.Health/";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    private static void Authenticate(ServerCallContext context)
    {
        if (!context.Method.StartsWith(HealthService, StringComparison.Ordinal))
            _ = Caller.From(context);
    }
}
