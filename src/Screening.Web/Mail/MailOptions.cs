namespace Screening.Web.Mail;

/// <summary>Settings under <c>Screening:Mail</c>. Without <see cref="SmtpHost"/>, e-mail is written to <see cref="PickupDirectory"/>.</summary>
public sealed class MailOptions
{
    public const string Section = "Screening:Mail";

    /// <summary>The SMTP server; null or empty: no server, e-mail goes to the pickup folder.</summary>
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 25;

    /// <summary>MailKit's <c>SecureSocketOptions</c>: <c>Auto</c> (STARTTLS where offered), <c>None</c>, <c>StartTls</c>, <c>SslOnConnect</c>.</summary>
    public string Security { get; set; } = "Auto";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "Screening <no-reply@screening.example>";

    /// <summary>Where e-mail is written as .eml files when no server is set; by default <c>mail-pickup</c> under the data directory.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>The address of the UI that links in e-mail point to.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>The longest wait between two attempts at a message that failed.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    public bool UsesPickup => string.IsNullOrWhiteSpace(SmtpHost);
}
