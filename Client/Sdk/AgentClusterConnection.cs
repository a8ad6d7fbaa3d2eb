using Grpc.Core;
using Grpc.Net.Client;

namespace AgentCluster.Client.Sdk;

/// <summary>One channel to the control plane, with typed clients per API area.</summary>
public sealed class AgentClusterConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    private AgentClusterConnection(GrpcChannel channel, Uri endpoint, CallDefaults defaults)
    {
        _channel = channel;
        Endpoint = endpoint;
        Tenants = new TenantsClient(channel, defaults);
        Keys = new KeysClient(channel, defaults);
        Cluster = new ClusterClient(channel, defaults);
        Audit = new AuditClient(channel, defaults);
        Sessions = new SessionsClient(channel, defaults);
        Hosts = new HostsClient(channel, defaults);
        Secrets = new SecretsClient(channel, defaults);
        Grants = new GrantsClient(channel, defaults);
        Actions = new ActionsClient(channel, defaults);
        Approvals = new ApprovalsClient(channel, defaults);
        Computer = new ComputerClient(channel);
    }

    public Uri Endpoint { get; }

    public TenantsClient Tenants { get; }

    public KeysClient Keys { get; }

    public ClusterClient Cluster { get; }

    public AuditClient Audit { get; }

    public SessionsClient Sessions { get; }

    public HostsClient Hosts { get; }

    public SecretsClient Secrets { get; }

    public GrantsClient Grants { get; }

    public ActionsClient Actions { get; }

    public ApprovalsClient Approvals { get; }

    public ComputerClient Computer { get; }

    /// <summary>Authenticated invoker for services this SDK does not wrap yet.</summary>
    public CallInvoker CallInvoker => _channel.CreateCallInvoker();

    public static AgentClusterConnection Open(AgentClusterConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The endpoint must be an http:// or https:// address.", nameof(options));
        }

        if (options.ApiKey is { } key && !ApiKeyFormat.IsSendable(key))
        {
            // Deliberately does not quote the key.
            throw new ArgumentException("The API key contains characters that cannot be sent in a header.", nameof(options));
        }

        var channel = GrpcChannel.ForAddress(options.Endpoint, new GrpcChannelOptions
        {
            Credentials = Credentials(options),
            // The embedded single-node setup serves h2c; without this the bearer key is silently dropped.
            UnsafeUseInsecureChannelCallCredentials = true,
            HttpHandler = options.HttpHandler ?? new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(10),
                EnableMultipleHttp2Connections = true,
            },
            DisposeHttpClient = true,
        });
        return new AgentClusterConnection(channel, options.Endpoint, new CallDefaults(options.CallTimeout));
    }

    public void Dispose() => _channel.Dispose();

    private static ChannelCredentials Credentials(AgentClusterConnectionOptions options)
    {
        var transport = options.Endpoint.Scheme == "https" ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        if (options.ApiKey is not { } key)
        {
            return transport;
        }

        var bearer = "Bearer " + key;
        var call = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", bearer);
            return Task.CompletedTask;
        });
        return ChannelCredentials.Create(transport, call);
    }
}
