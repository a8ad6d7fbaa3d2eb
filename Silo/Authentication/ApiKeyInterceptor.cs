using AgentCluster.Silo.Api;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AgentCluster.Silo.Authentication;

/// <summary>
/// Turns a missing or bad key into a gRPC Unauthenticated status with a message, for every
/// service except the standard health check, which load balancers probe without a key; and a
/// cluster fault inside a call into Unavailable, so clients know to retry.
/// </summary>
internal sealed class ApiKeyInterceptor : Interceptor
{
    private const string HealthService = "/grpc.health.v1.Health/";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return Translate(() => continuation(request, context));
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return Translate(() => continuation(request, responseStream, context));
    }

    private static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not RpcException && ClusterFaults.IsTransient(e))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ClusterFaults.RetryMessage));
        }
    }

    private static async Task Translate(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is not RpcException && ClusterFaults.IsTransient(e))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ClusterFaults.RetryMessage));
        }
    }

    private static void Authenticate(ServerCallContext context)
    {
        if (!context.Method.StartsWith(HealthService, StringComparison.Ordinal))
            _ = Caller.From(context);
    }
}
