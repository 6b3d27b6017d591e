"""The WSDL of the sandbox's OneClickOrder service (document/literal, wrapped).

Request fields are all optional in the schema so that the CA itself answers a
missing one with -102, as the real service does.
"""

NAMESPACE = "https://system.globalsign.com/vc/ws/"
PATH = "/vc/ws/OneClickOrder"

OPERATIONS = (
    "GSDomainVoucherCheckOC",
    "GSOneClickOrderTest",
    "GSOneClickOrderReal",
    "GSOneClickRevoke",
)

_TYPES = """
  <xs:complexType name="Error">
    <xs:sequence>
      <xs:element name="ErrorCode" type="xs:int"/>
      <xs:element name="ErrorField" type="xs:string" minOccurs="0" nillable="true"/>
      <xs:element name="ErrorMessage" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Errors">
    <xs:sequence>
      <xs:element name="Error" type="tns:Error" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="OrderResponseHeader">
    <xs:sequence>
      <xs:element name="SuccessCode" type="xs:int"/>
      <xs:element name="Errors" type="tns:Errors" minOccurs="0"/>
      <xs:element name="Timestamp" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="VoucherCheckRequest">
    <xs:sequence>
      <xs:element name="Voucher" type="xs:string" minOccurs="0"/>
      <xs:element name="VoucherOption" type="xs:string" minOccurs="0"/>
      <xs:element name="DomainName" type="xs:string" minOccurs="0"/>
      <xs:element name="Revoke" type="xs:int" minOccurs="0"/>
      <xs:element name="Language" type="xs:string" minOccurs="0"/>
      <xs:element name="PortNumber" type="xs:int" minOccurs="0"/>
      <xs:element name="PlatformID" type="xs:string" minOccurs="0"/>
      <xs:element name="KeyAlgorithm" type="xs:string" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="VoucherCheckResponse">
    <xs:sequence>
      <xs:element name="OrderResponseHeader" type="tns:OrderResponseHeader"/>
      <xs:element name="OrderID" type="xs:string" minOccurs="0"/>
      <xs:element name="KeyLength" type="xs:int" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="OrderRequest">
    <xs:sequence>
      <xs:element name="OrderID" type="xs:string" minOccurs="0"/>
      <xs:element name="CSR" type="xs:string" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="CACertificate">
    <xs:sequence>
      <xs:element name="CACertType" type="xs:string"/>
      <xs:element name="CACert" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="CACertificates">
    <xs:sequence>
      <xs:element name="CACertificate" type="tns:CACertificate"
          maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="ServerCertificate">
    <xs:sequence>
      <xs:element name="X509Cert" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Fulfillment">
    <xs:sequence>
      <xs:element name="CACertificates" type="tns:CACertificates" minOccurs="0"/>
      <xs:element name="ServerCertificate" type="tns:ServerCertificate"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="OneClickOrderDetail">
    <xs:sequence>
      <xs:element name="Fulfillment" type="tns:Fulfillment"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="OrderResponse">
    <xs:sequence>
      <xs:element name="OrderResponseHeader" type="tns:OrderResponseHeader"/>
      <xs:element name="OrderID" type="xs:string" minOccurs="0"/>
      <xs:element name="OneClickOrderDetail" type="tns:OneClickOrderDetail"
          minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="RevokeRequest">
    <xs:sequence>
      <xs:element name="OrderID" type="xs:string" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="RevokeResponse">
    <xs:sequence>
      <xs:element name="OrderResponseHeader" type="tns:OrderResponseHeader"/>
    </xs:sequence>
  </xs:complexType>
"""

# operation -> (request type, response type)
_SHAPES = {
    "GSDomainVoucherCheckOC": ("VoucherCheckRequest", "VoucherCheckResponse"),
    "GSOneClickOrderTest": ("OrderRequest", "OrderResponse"),
    "GSOneClickOrderReal": ("OrderRequest", "OrderResponse"),
    "GSOneClickRevoke": ("RevokeRequest", "RevokeResponse"),
}


def _elements() -> str:
    out = []
    for op, (request, response) in _SHAPES.items():
        out.append(
            f'  <xs:element name="{op}"><xs:complexType><xs:sequence>'
            f'<xs:element name="Request" type="tns:{request}"/>'
            "</xs:sequence></xs:complexType></xs:element>\n"
            f'  <xs:element name="{op}Response"><xs:complexType><xs:sequence>'
            f'<xs:element name="Response" type="tns:{response}"/>'
            "</xs:sequence></xs:complexType></xs:element>"
        )
    return "\n".join(out)


def _per_operation(template: str) -> str:
    return "\n".join(template.format(op=op) for op in OPERATIONS)


_MESSAGE = """  <wsdl:message name="{op}Input">
    <wsdl:part name="parameters" element="tns:{op}"/>
  </wsdl:message>
  <wsdl:message name="{op}Output">
    <wsdl:part name="parameters" element="tns:{op}Response"/>
  </wsdl:message>"""

_PORT_OP = """    <wsdl:operation name="{op}">
      <wsdl:input message="tns:{op}Input"/>
      <wsdl:output message="tns:{op}Output"/>
    </wsdl:operation>"""

_BINDING_OP = """    <wsdl:operation name="{op}">
      <soap:operation soapAction="{op}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>"""


def render(address: str) -> str:
    """The WSDL document, with the service at `address`."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions name="OneClickOrder" targetNamespace="{NAMESPACE}"
    xmlns:tns="{NAMESPACE}"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
 <wsdl:types>
  <xs:schema targetNamespace="{NAMESPACE}" elementFormDefault="unqualified">
{_TYPES}
{_elements()}
  </xs:schema>
 </wsdl:types>
{_per_operation(_MESSAGE)}
  <wsdl:portType name="OneClickOrderPort">
{_per_operation(_PORT_OP)}
  </wsdl:portType>
  <wsdl:binding name="OneClickOrderBinding" type="tns:OneClickOrderPort">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
{_per_operation(_BINDING_OP)}
  </wsdl:binding>
  <wsdl:service name="OneClickOrderService">
    <wsdl:port name="OneClickOrderPort" binding="tns:OneClickOrderBinding">
      <soap:address location="{address}"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"""
