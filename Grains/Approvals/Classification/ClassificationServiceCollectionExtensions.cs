using AgentCluster.Grains.Approvals.Classification.Http;
using AgentCluster.Grains.Approvals.Classification.Shell;
using AgentCluster.Grains.Approvals.Classification.Sql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="ActionClassifier"/>, its options from <c>AgentCluster:Approvals</c>, and the
    /// db.execute, http.request and shell.exec sub-classifiers. Another sub-classifier is one more
    /// <c>services.AddSingleton&lt;IPayloadClassifier, T&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddActionClassification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClassificationOptions>()
            .Bind(configuration.GetSection(ClassificationOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClassificationOptions>, ClassificationValidation>();

        services.AddSingleton<IPayloadClassifier, SqlPayloadClassifier>();
        services.AddSingleton<IPayloadClassifier, HttpPayloadClassifier>();
        services.AddSingleton<IPayloadClassifier, ShellPayloadClassifier>();
        services.AddSingleton<ActionClassifier>();
        return services;
    }
}
