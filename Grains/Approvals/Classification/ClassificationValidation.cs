using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Classification;

/// <summary>Refuses a configuration that would be read some other way than its author meant.</summary>
public sealed class ClassificationValidation : IValidateOptions<ClassificationOptions>
{
    public ValidateOptionsResult Validate(string? name, ClassificationOptions options)
    {
        var errors = Errors(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IEnumerable<string> Errors(ClassificationOptions o)
    {
        const string at = ClassificationOptions.Section;
        foreach (var (table, map) in new[] { ("Actions", o.Actions), ("TenantFloors", o.TenantFloors) })
        {
            foreach (var (action, risk) in map)
            {
                if (string.IsNullOrWhiteSpace(action) || action != action.Trim())
                    yield return $"{at}:{table} has an action name with blanks: '{action}'";
                if (!Enum.IsDefined(risk))
                    yield return $"{at}:{table}:{action} is not a risk level";
            }
        }

        foreach (var f in o.Sql.AllowedFunctions.Where(f => f.Length == 0 || !f.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
            yield return $"{at}:Sql:AllowedFunctions: '{f}' is not a lower-case unqualified function name";
        if (!Enum.IsDefined(o.Sql.Dialect))
            yield return $"{at}:Sql:Dialect is not a dialect";

        foreach (var r in o.Http.Rules)
        {
            var host = r.Host.Trim();
            if (host.Length == 0 || (host.Contains('*') && host != "*" && !(host.StartsWith("*.", StringComparison.Ordinal) && host.LastIndexOf('*') == 0)))
                yield return $"{at}:Http:Rules: host '{r.Host}' must be a name, '*.domain' or '*'";
            if (!r.PathPrefix.StartsWith('/'))
                yield return $"{at}:Http:Rules: path prefix '{r.PathPrefix}' must start with '/'";
            if (!r.Methods.All(Http.HttpRules.IsValidMethod) || !Enum.IsDefined(r.Risk))
                yield return $"{at}:Http:Rules for '{r.Host}{r.PathPrefix}': bad method or risk";
        }

        foreach (var r in o.Shell.Allow)
        {
            if (string.IsNullOrWhiteSpace(r.Command) == string.IsNullOrWhiteSpace(r.Program) || !Enum.IsDefined(r.Risk))
                yield return $"{at}:Shell:Allow: each rule needs exactly one of Command or Program, and a risk level";
        }
    }
}
