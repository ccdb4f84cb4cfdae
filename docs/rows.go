package docs

// Base is where the Axys developer documentation lives.
const Base = "https://docs.api.axyscards.com/docs/"

// Documentation pages cited by rows and fixes.
const (
	PageAuth        = Base + "authentication-and-environments"
	PageCSR         = Base + "mtls-certificates-and-csr"
	PageRotate      = Base + "guide-rotate-mtls-certificates"
	PageCredentials = Base + "credentials-and-key-rotation"
	PageAllowlist   = Base + "ip-allowlisting-and-network-security"
	PageErrors      = Base + "errors-and-status-codes"
	PageUsers       = Base + "api-users-tenants-and-programs"
	PageQuickstart  = Base + "quickstart-first-api-call"
	PagePaging      = Base + "pagination-filtering-and-rate-limits"
)

// Row is one line of the failure table.
type Row struct {
	ID          string `json:"id"`
	Symptom     string `json:"symptom"`
	Cause       string `json:"cause"`
	WhereToLook string `json:"where_to_look"`
	URL         string `json:"url"`
	// Ours marks rows axysdoctor adds; the first four come from the Axys
	// "Authentication & Environments" page.
	Ours bool `json:"ours"`
}

// Row IDs. The first four are the documented table's; scripts rely on them.
const (
	RowTLSHandshake      = "tls-handshake"
	RowAuthorizedIPs     = "authorized-ips"
	RowAPIKey            = "api-key"
	RowTenantCredentials = "tenant-credentials"

	RowTLSInterception    = "tls-interception"
	RowCertificateContent = "certificate-content"
	RowCredentialHygiene  = "credential-hygiene"
	RowIPv6Egress         = "ipv6-egress"
	RowDNSTemporary       = "dns-temporary"
	RowNetworkPath        = "network-path"
	RowRateLimited        = "rate-limited"
	RowPlatformError      = "platform-error"
	RowUnexpectedResponse = "unexpected-response"
	RowInternalError      = "internal-error"
	RowClockSkew          = "clock-skew"
)

// Table is the failure table: the documented rows first, then ours.
var Table = []Row{
	{
		ID:          RowTLSHandshake,
		Symptom:     "TLS handshake fails before any HTTP response",
		Cause:       "Wrong certificate/key pair, expired certificate, or wrong environment (sandbox vs. production)",
		WhereToLook: "Mutual TLS, Certificates & CSRs",
		URL:         PageCSR,
	},
	{
		ID:          RowAuthorizedIPs,
		Symptom:     "403 with a message about authorized IPs",
		Cause:       "Your calling IP isn't allowlisted, or fails the FCrDNS check",
		WhereToLook: "IP Allowlisting & Network Security",
		URL:         PageAllowlist,
	},
	{
		ID:          RowAPIKey,
		Symptom:     "401 or similar with a valid certificate",
		Cause:       "Missing, incorrect, or revoked X-API-Key",
		WhereToLook: "Errors & Status Codes",
		URL:         PageErrors,
	},
	{
		ID:          RowTenantCredentials,
		Symptom:     "200 from one endpoint but 404/empty results from cardholder/card endpoints",
		Cause:       "Likely using tenant-level credentials against program-scoped endpoints",
		WhereToLook: "Program Architecture",
		URL:         PageUsers,
	},
	{
		ID:          RowTLSInterception,
		Symptom:     "The gateway's own certificate does not verify, or it never asks for a client certificate",
		Cause:       "A TLS-intercepting proxy between you and Axys (mTLS cannot work through one), a wrong --ca-file, or a base URL that is not the Axys gateway",
		WhereToLook: "your network's proxy settings; Mutual TLS",
		URL:         PageAuth,
		Ours:        true,
	},
	{
		ID:          RowCertificateContent,
		Symptom:     "The certificate or key does not follow the CSR rules",
		Cause:       "Not RSA-2048, O/OU missing or merged, no DNS SANs, a wildcard, a CN missing from the SANs, a self-signed certificate, or a bundle missing its intermediate: the gateway's TLS, FCrDNS and Program checks rely on these",
		WhereToLook: "Certificates & CSRs",
		URL:         PageCSR,
		Ours:        true,
	},
	{
		ID:          RowCredentialHygiene,
		Symptom:     "The private key is readable by others, tracked by git, or about to be committed; or a key or API key is shared between environments",
		Cause:       "Nothing fails yet; a leaked private key is a certificate compromise and means a new certificate, and a credential shared between staging and production leaks both",
		WhereToLook: "Credentials & Key Rotation",
		URL:         PageCredentials,
		Ours:        true,
	},
	{
		ID:          RowIPv6Egress,
		Symptom:     "403 about authorized IPs although your IPv4 address is allowlisted",
		Cause:       "Your host calls over IPv6 (Go and curl prefer it when the gateway has AAAA records) from an address nobody allowlisted",
		WhereToLook: "IP Allowlisting & Network Security",
		URL:         PageAllowlist,
		Ours:        true,
	},
	{
		ID:          RowDNSTemporary,
		Symptom:     "FCrDNS cannot be verified: the resolver times out, answers SERVFAIL or refuses",
		Cause:       "A DNS problem on the path to your resolver or at your reverse zone's servers; the gateway may hit it too",
		WhereToLook: "IP Allowlisting & Network Security",
		URL:         PageAllowlist,
		Ours:        true,
	},
	{
		ID:          RowNetworkPath,
		Symptom:     "The gateway, a proxy or the lookup services cannot be reached, close the connection before TLS starts, or answer too slowly",
		Cause:       "No route, a firewall dropping or refusing the connection, a wrong base URL or port, or DNS that does not resolve the gateway",
		WhereToLook: "your firewall and egress rules; Authentication & Environments",
		URL:         PageAuth,
		Ours:        true,
	},
	{
		ID:          RowRateLimited,
		Symptom:     "429 Too Many Requests",
		Cause:       "Rate limited; the limits are not documented. Credentials were not confirmed",
		WhereToLook: "Pagination, Filtering & Rate Limits",
		URL:         PagePaging,
		Ours:        true,
	},
	{
		ID:          RowPlatformError,
		Symptom:     "5xx from the gateway",
		Cause:       "A problem on the platform's side; credentials were not confirmed",
		WhereToLook: "Errors & Status Codes",
		URL:         PageErrors,
		Ours:        true,
	},
	{
		ID:          RowUnexpectedResponse,
		Symptom:     "An answer the Axys API does not give: a redirect, a non-JSON 200, another status",
		Cause:       "A proxy or load balancer answering instead of Axys, or a wrong base URL",
		WhereToLook: "Errors & Status Codes",
		URL:         PageErrors,
		Ours:        true,
	},
	{
		ID:          RowClockSkew,
		Symptom:     "This machine's clock is more than two minutes away from the gateway's",
		Cause:       "No time synchronisation (NTP) here; certificate dates and TLS are judged against a wrong clock, so a valid certificate can look expired or not yet valid",
		WhereToLook: "timedatectl / your NTP service; Certificates & CSRs",
		URL:         PageCSR,
		Ours:        true,
	},
	{
		ID:          RowInternalError,
		Symptom:     "A check crashed inside axysdoctor",
		Cause:       "A bug in axysdoctor, not in your setup; the other checks still ran",
		WhereToLook: "the evidence of the crashed check; report it to the axysdoctor maintainers",
		URL:         PageAuth,
		Ours:        true,
	},
}

// Lookup returns the row with id.
func Lookup(id string) (Row, bool) {
	for _, r := range Table {
		if r.ID == id {
			return r, true
		}
	}
	return Row{}, false
}
