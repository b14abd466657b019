namespace NeuroData.Web.Uploads;

public static class UploadsSetup
{
    /// <summary>The web side of publishing: the Markdown renderer of the wizard's review step.</summary>
    public static IServiceCollection AddUploads(this IServiceCollection services)
    {
        services.AddSingleton<MarkdownRenderer>();
        return services;
    }
}
