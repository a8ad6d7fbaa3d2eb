using System.CommandLine;
using System.CommandLine.Parsing;
using AgentCluster.Client.Cli;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Secrets;

/// <summary>
/// <c>secrets put</c>: the value comes from stdin and nowhere else; no option takes it, so it never lands in shell
/// history or <c>ps</c>, and no output or error line shows it.
/// </summary>
internal sealed class PutSecretCommand : Command, IConcealsTokens
{
    private readonly Option<string> _tenant = SecretOptions.Tenant("Tenant the secret belongs to.");

    private readonly Argument<string> _resource = SecretOptions.Resource("The resource it is for, as grants name it, e.g. stripe or github.");

    private readonly Option<string[]> _actions = new("--action")
    {
        Description = "Grant action it serves: read, write or delete; repeat for several.",
        HelpName = "action",
        Required = true,
    };

    private readonly Option<string[]> _hosts = new("--host")
    {
        Description = "Upstream host it may be sent to: an exact name or a *. suffix; repeat for several.",
        HelpName = "host",
        Required = true,
    };

    private readonly Option<string?> _header = new("--header")
    {
        Description = "Inject it in this header, e.g. Authorization (with --format).",
        HelpName = "name",
    };

    private readonly Option<string?> _format = new("--format")
    {
        Description = $"The header's value, with {SecretInjection.Placeholder} where the secret goes, e.g. 'Bearer {SecretInjection.Placeholder}'.",
        HelpName = "template",
    };

    private readonly Option<string?> _basicUser = new("--basic-user")
    {
        Description = "Inject it as HTTP basic auth with this user name (instead of --header/--format).",
        HelpName = "user",
    };

    private readonly Option<string[]> _methods = new("--methods")
    {
        Description = "Narrow what the actions allow to these HTTP methods, e.g. GET,POST (read: GET, HEAD, OPTIONS; "
            + "write adds POST, PUT, PATCH; delete adds DELETE). It can only narrow: a method no --action allows is refused.",
        HelpName = "method,…",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = SecretOptions.ParseMethods,
    };

    private readonly Option<bool> _allowPlainHttp = new("--allow-plain-http")
    {
        Description = "Let the egress proxy swap it into plain http:// requests too, where it crosses the network in clear "
            + "(audited as plain-http). Without it the proxy swaps it only into requests that leave over TLS.",
    };

    private readonly Option<bool> _valueFromStdin = new("--value-from-stdin")
    {
        Description = "Read the value from stdin (trailing newlines dropped); the only way to give it.",
    };

    public PutSecretCommand(CommandContext context)
        : base("put", "Store a secret for a tenant's resource, replacing the one there; the value is read from stdin only.")
    {
        ArgumentNullException.ThrowIfNull(context);
        SecretOptions.AcceptOnlyActions(_actions);
        Add(_resource);
        Add(_tenant);
        Add(_actions);
        Add(_hosts);
        Add(_header);
        Add(_format);
        Add(_basicUser);
        Add(_methods);
        Add(_allowPlainHttp);
        Add(_valueFromStdin);
        Validators.Add(Validate);
        SetAction(async (result, cancellationToken) =>
        {
            var secret = new NewSecret(result.GetRequiredValue(_tenant), result.GetRequiredValue(_resource))
            {
                Actions = result.GetRequiredValue(_actions),
                Hosts = result.GetRequiredValue(_hosts),
                Header = result.GetValue(_header),
                Format = result.GetValue(_format),
                BasicUser = result.GetValue(_basicUser),
                Methods = result.GetValue(_methods) ?? [],
                AllowPlainHttp = result.GetValue(_allowPlainHttp),
            };
            var value = await StdinSecret.ReadAsync(context.Environment, cancellationToken);
            context.Conceal(value);
            using var connection = context.Connect(result);
            var stored = await connection.Secrets.PutAsync(secret, value, cancellationToken);
            context.Output(result).Write(SecretView.From(stored), SecretView.Render);
        });
    }

    /// <summary>Stray tokens (a value pasted onto the line by mistake) and anything given to <c>--value-from-stdin</c>.</summary>
    public IEnumerable<string> TokensToConceal(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var given = result.GetResult(_valueFromStdin)?.Tokens.Select(t => t.Value) ?? [];
        return result.UnmatchedTokens.Concat(given);
    }

    private void Validate(CommandResult result)
    {
        var header = NonEmpty(result.GetValue(_header));
        var format = NonEmpty(result.GetValue(_format));
        var basicUser = NonEmpty(result.GetValue(_basicUser));
        if (basicUser is not null && (header is not null || format is not null))
        {
            result.AddError("give either --header with --format, or --basic-user, not both");
        }
        else if (basicUser is null && header is null && format is null)
        {
            result.AddError("say how the secret is injected: --header NAME --format TEMPLATE, or --basic-user NAME");
        }
        else if (basicUser is null && (header is null || format is null))
        {
            result.AddError("--header and --format go together");
        }
        else if (format is not null && !format.Contains(SecretInjection.Placeholder, StringComparison.Ordinal))
        {
            // The template is not quoted: a --format without the placeholder may hold the value itself.
            result.AddError($"--format must contain {SecretInjection.Placeholder}, where the value goes, e.g. 'Bearer {SecretInjection.Placeholder}'");
        }

        if (!result.GetValue(_valueFromStdin))
        {
            result.AddError("the value is read from stdin only: pipe it in and give --value-from-stdin");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
