using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentCluster.Silo.Hosting;

/// <summary>Endpoint metadata: served only on connections accepted on this local port.</summary>
internal sealed record LocalPortMetadata(int Port);

/// <summary>
/// Routes by the port a connection was accepted on, which the client cannot choose, not by the
/// Host header (HTTP/2's :authority), which it writes: with <c>RequireHost("*:5081")</c> a request
/// to the API port saying <c>Host: 127.0.0.1:5081</c> reached the admin endpoints. An endpoint of
/// the other port is no candidate at all, so the request ends in 404.
/// </summary>
internal sealed class LocalPortMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => -100;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<LocalPortMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var port = httpContext.Connection.LocalPort;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Endpoint.Metadata.GetMetadata<LocalPortMetadata>() is { } only && only.Port != port)
                candidates.SetValidity(i, false);
        }
        return Task.CompletedTask;
    }
}

internal static class LocalPortRouting
{
    public static IServiceCollection AddLocalPortRouting(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, LocalPortMatcherPolicy>());
        return services;
    }

    /// <summary>Serves the endpoints only to connections accepted on <paramref name="port"/>.</summary>
    public static TBuilder RequireLocalPort<TBuilder>(this TBuilder builder, int port) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new LocalPortMetadata(port));
}
