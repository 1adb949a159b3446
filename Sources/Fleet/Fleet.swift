// Fleet module
