using Microsoft.AspNetCore.Hosting;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>A host that sends its e-mail to an SMTP server on a loopback port, optionally on another host's data directory (a restart).</summary>
public sealed class MailScreeningFactory(int smtpPort, string? dataDirectory = null, DateTimeOffset? now = null) : ScreeningFactory
{
    public string Directory => dataDirectory ?? DataDirectory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (dataDirectory is not null)
        {
            builder.UseSetting("Screening:DataDirectory", dataDirectory);
            TestDatabase.Configure(builder, dataDirectory);
        }

        if (now is { } at && at > Time.GetUtcNow())
        {
            Time.SetUtcNow(at);
        }

        builder.UseSetting("Screening:Mail:SmtpHost", "127.0.0.1");
        builder.UseSetting("Screening:Mail:SmtpPort", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Screening:Mail:Security", "None");
    }
}
